"""Press-release attachments (PDF, HWPX, HWP 5): every real file in
tests/data/press-attachments yields its title and gold sentence, or its one clear error."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest

from pipelines.documents import DocumentError, read_document, sniff
from pipelines.documents.model import MAX_DOCUMENT_BYTES, Deadline

FILES = Path(__file__).parent / "data" / "press-attachments"
ROWS = list(csv.DictReader(open(FILES / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
UNREADABLE = {
    "edge_password_12345.hwpx": "encrypted",
    "edge_kwater_bonghwa_2026_distrib.hwp": "distribution-protected",
    "edge_kwater_rfp_2004_hwp3.hwp": "unsupported format",
    "edge_mafra_petfood_2024_cairo.pdf": "no text layer",
}
READABLE = [row for row in ROWS if row["file"] not in UNREADABLE]
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'"})


def norm(text: str) -> str:
    """Whitespace removed (PDFs break lines inside words), curly quotes made straight."""
    return re.sub(r"\s+", "", text).translate(_QUOTES)


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture(scope="module")
def documents() -> dict:
    return {row["file"]: read_document(data(row["file"])) for row in READABLE}


def test_manifest_covers_every_file_and_files_are_unchanged() -> None:
    on_disk = {p.name for p in FILES.iterdir() if p.suffix in {".hwp", ".hwpx", ".pdf"}}
    assert on_disk == {row["file"] for row in ROWS}
    assert len(ROWS) == 28
    for row in ROWS:
        assert hashlib.sha256(data(row["file"])).hexdigest()[:16] == row["sha256_16"], row["file"]


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_sniffed_by_bytes_not_name(row: dict) -> None:
    expected = "hwp3" if row["file"].endswith("_hwp3.hwp") else row["format"]
    assert sniff(data(row["file"])) == expected


@pytest.mark.parametrize("row", READABLE, ids=[row["file"] for row in READABLE])
def test_readable_file_yields_title_and_gold_sentence(row: dict, documents: dict) -> None:
    document = documents[row["file"]]
    assert document.format == row["format"]
    assert norm(row["gold_sentence"]) in norm(document.body)
    title, found = norm(row["title"]), norm(document.title)
    # the manifest's title inside the one found, or (the Assembly review, whose title adds the
    # letter-spaced '검 토 보 고' in another type size) the found one as most of it
    assert title in found or (found in title and len(found) >= 0.6 * len(title)), document.title
    assert len(document.title) <= 500


@pytest.mark.parametrize("name,reason", sorted(UNREADABLE.items()))
def test_unreadable_file_gives_its_reason(name: str, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(data(name))
    assert caught.value.reason == reason
    assert str(caught.value).startswith(reason) and "\n" not in str(caught.value)


def test_tables_come_out_as_rows_in_hwp_and_hwpx(documents: dict) -> None:
    row = "총투자 | 282.3 | 198.5 | 184.8 | 150.9 | 176.8 | 159.8 | 150.5 | 157.7 | 150.9"
    for name in ("moef_fdi_2024q1.hwpx", "edge_moef_fdi_2024q1_hwp5_named.hwpx"):
        assert row in documents[name].body.split("\n"), name
    contact = documents["mafra_petfood_2024.hwp"].body
    assert "담당 부서 | 동물복지환경정책관실 | 책임자 | 과 장 | 김현우 | (044-201-2651)" in contact


def test_paragraphs_stay_lines_and_headers_are_not_titles(documents: dict) -> None:
    body = documents["mois_govinnov_2025.hwpx"].body.split("\n")
    assert body[0] == "보도자료"
    assert any(line.startswith("□ 새로운 정부혁신 추진전략은") for line in body)
    # a table's text is given once (one of the PyPI readers wrote every table twice)
    assert documents["mois_govinnov_2025.hwpx"].body.count("〈 정부혁신으로 달라지는 모습 〉") == 1
    assert documents["mof_cruise_2026.hwpx"].title.startswith("부산항 크루즈")   # not the stray '광부'


def test_three_formats_of_one_release_agree(documents: dict) -> None:
    hangul = {name: len(re.findall(r"[가-힣]", documents[name].body))
              for name in ("mois_govinnov_2025.hwp", "mois_govinnov_2025.hwpx", "mois_govinnov_2025.pdf")}
    assert max(hangul.values()) - min(hangul.values()) <= 0.02 * max(hangul.values()), hangul


# ------------------------------------------------------------------ bounds and bad input
def test_too_large_is_refused_before_reading() -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(b"%PDF-1.7\n" + b"\0" * MAX_DOCUMENT_BYTES)
    assert caught.value.reason == "too large"


def test_deflate_bomb_in_hwpx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", b"<a>" + b" " * (70 * 1024 * 1024) + b"</a>")
    with pytest.raises(DocumentError) as caught:
        read_document(buffer.getvalue())
    assert caught.value.reason == "too large"


def test_time_is_bounded() -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(data("kospo_rfp_genai_2024.pdf"), deadline=Deadline(-1))
    assert caught.value.reason == "too large" and "longer than" in caught.value.detail


@pytest.mark.parametrize("blob,reason", [
    (b"", "not a document"),
    (b"\x00\x01\x02 random bytes \xff\xfe", "not a document"),
    (b"just some plain text, not a document", "not a document"),
    (b"<!doctype html><html><body><p>page</p></body></html>", "unsupported format"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "broken"),
    (b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05", "unsupported format"),
])
def test_bad_bytes_give_a_reason(blob: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(blob)
    assert caught.value.reason == reason


def test_truncated_files_are_broken_not_tracebacks() -> None:
    for name in ("hira_immuno_2017.pdf", "mof_bills_2026.hwpx", "mafra_petfood_2024.hwp"):
        blob = data(name)
        with pytest.raises(DocumentError) as caught:
            read_document(blob[: len(blob) // 3])
        assert caught.value.reason in {"broken", "no text layer"}, (name, caught.value)


def test_a_zip_that_is_not_hwpx_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(DocumentError) as caught:
        read_document(buffer.getvalue())
    assert caught.value.reason == "unsupported format"


# ------------------------------------------------------------------ newsmine extract --file
def _run(*args: str) -> "subprocess.CompletedProcess":
    import subprocess

    from conftest import NEWSMINE

    return subprocess.run([*NEWSMINE, *args], capture_output=True, text=True, timeout=300)


def test_cli_extract_file_prints_title_body_and_organisations() -> None:
    done = _run("extract", "--file", str(FILES / "mafra_petfood_2024.hwp"))
    assert done.returncode == 0, done.stderr
    import json

    result = json.loads(done.stdout)
    assert result["id"] == "mafra_petfood_2024"
    assert result["title"] == "농식품부, 2027년 펫푸드 수출액 5억불 달성을 위한 지원 본격 추진!"
    assert result["format"] == "hwp"
    assert "한훈 차관은 3월 5일(화) 오후" in result["body"]
    names = {org["name"] for org in result["organizations"]}
    assert "농림축산식품부" in names                      # the NLP stage ran on the body
    for org in result["organizations"]:
        start, end = org["mentions"][0]
        assert result["body"][start:end] in org["surface"]  # offsets are into "body"
    assert isinstance(result["achievements"], list)


def test_cli_extract_file_reads_an_html_page_too() -> None:
    import json

    from conftest import REPLAY

    done = _run("extract", "--file", str(REPLAY / "newsstep.co.kr" / "article_seed.html"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"] == "전북자치도, 디지털 산업 이끄는 SW강소기업과 소통의 장 마련"
    assert result["format"] == "html" and "아이티스테이션" in result["body"]


@pytest.mark.parametrize("name,reason", sorted(UNREADABLE.items()))
def test_cli_extract_file_unreadable_is_one_line_exit_1(name: str, reason: str) -> None:
    done = _run("extract", "--file", str(FILES / name))
    assert done.returncode == 1, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"newsmine: error: {reason}"), done.stderr


def test_cli_extract_file_not_a_document(tmp_path: Path) -> None:
    junk = tmp_path / "download.pdf"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    done = _run("extract", "--file", str(junk))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "newsmine: error: not a document: neither PDF, HWP, HWPX nor HTML by its bytes"
