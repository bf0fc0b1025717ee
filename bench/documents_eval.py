"""Attachment readers compared on the real press-release files (tests/data/press-attachments).

Run:  .venv/bin/python bench/documents_eval.py [--repeat N]

For each reader and format: files read (text came out, or the right refusal for the four
edge files), titles and gold sentences found (whitespace removed, as the tests compare),
and time (best of N runs; MB/s over the files it read). Candidates are used when installed:

    .venv/bin/pip install pypdf pdfminer.six hwp-hwpx-parser hwpkit hwpxkit libhwp hwp2yaml

(pyhwp/hwp5 is AGPL and not tried.) "newsmine" is pipelines.documents: its title is the
reader's `title`; for the candidates, which give no title, the title counts as found when it
appears anywhere in their text. For the four edge files (password, distribution document,
HWP 3.0, PDF without a text layer) a reader scores when it refuses them — an exception or
no text — and newsmine's refusal must carry the right reason.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("RUST_BACKTRACE", "0")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FILES = ROOT / "tests" / "data" / "press-attachments"
EDGE = {"edge_password_12345.hwpx": "encrypted",
        "edge_kwater_bonghwa_2026_distrib.hwp": "distribution-protected",
        "edge_kwater_rfp_2004_hwp3.hwp": "unsupported format",
        "edge_mafra_petfood_2024_cairo.pdf": "no text layer"}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# ------------------------------------------------------------------ readers: (title, text)
def newsmine(path: Path) -> tuple[str, str]:
    from pipelines.documents import read_document

    document = read_document(path.read_bytes())
    return document.title, document.body


def pypdfium2_raw(path: Path) -> tuple[str, str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path.read_bytes())
    pages = []
    for page in document:
        textpage = page.get_textpage()
        pages.append(textpage.get_text_bounded())
    return "", "\n".join(pages)


def pypdf_(path: Path) -> tuple[str, str]:
    import pypdf

    return "", "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def pdfminer_(path: Path) -> tuple[str, str]:
    from pdfminer.high_level import extract_text

    return "", extract_text(str(path))


def hwp_hwpx_parser(path: Path) -> tuple[str, str]:
    from hwp_hwpx_parser import Reader

    with Reader(str(path)) as reader:
        return "", reader.text


def hwpkit_(path: Path) -> tuple[str, str]:
    from hwpkit import extract_text_from_file

    return "", extract_text_from_file(str(path))


def hwpxkit_(path: Path) -> tuple[str, str]:
    import hwpxkit

    return "", hwpxkit.parse(path.read_bytes()).get_text()


def libhwp_(path: Path) -> tuple[str, str]:
    import libhwp

    reader = libhwp.HWPReader(str(path))
    return "", "\n".join(str(getattr(p, "text", "")) for p in reader.find_all("paragraph"))


def hwp2yaml_(path: Path) -> tuple[str, str]:
    from hwp2yaml.extractor import extract_hwp_text

    result = extract_hwp_text(str(path))
    if not result.success:
        raise RuntimeError(result.error)
    return "", result.text or ""


READERS: dict[str, tuple[str, Callable, tuple[str, ...]]] = {
    # name: (module to import, function, formats)
    "newsmine (pypdfium2 + own HWP/HWPX)": ("pypdfium2", newsmine, ("pdf", "hwp", "hwpx")),
    "pypdfium2 (plain text)": ("pypdfium2", pypdfium2_raw, ("pdf",)),
    "pypdf": ("pypdf", pypdf_, ("pdf",)),
    "pdfminer.six": ("pdfminer", pdfminer_, ("pdf",)),
    "hwp-hwpx-parser": ("hwp_hwpx_parser", hwp_hwpx_parser, ("hwp", "hwpx")),
    "hwpkit": ("hwpkit", hwpkit_, ("hwp", "hwpx")),
    "hwpxkit (Rust)": ("hwpxkit", hwpxkit_, ("hwp", "hwpx")),
    "libhwp (Rust)": ("libhwp", libhwp_, ("hwp",)),
    "hwp2yaml (PrvText preview)": ("hwp2yaml", hwp2yaml_, ("hwp", "hwpx")),
}


def run(repeat: int) -> list[dict]:
    import importlib

    from pipelines.documents import DocumentError

    rows = list(csv.DictReader(open(FILES / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t",
                               quoting=csv.QUOTE_NONE))
    results = []
    for name, (module, reader, formats) in READERS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        for fmt in formats:
            subset = [row for row in rows if row["format"] == fmt]
            score = {"reader": name, "format": fmt, "files": len(subset), "read": 0, "titles": 0,
                     "gold": 0, "gold_total": 0, "seconds": 0.0, "mb": 0.0, "failed": []}
            for row in subset:
                path = FILES / row["file"]
                best, title, text, error = float("inf"), "", "", None
                for _ in range(repeat):
                    start = time.perf_counter()
                    try:
                        title, text = reader(path)
                        error = None
                    except BaseException as caught:  # noqa: BLE001 — Rust panics are BaseException
                        if isinstance(caught, KeyboardInterrupt):
                            raise
                        error = caught
                    best = min(best, time.perf_counter() - start)
                edge = EDGE.get(row["file"])
                if edge:
                    refused = error is not None or not norm(text)
                    right = refused and (not isinstance(error, DocumentError) or error.reason == edge) \
                        if reader is newsmine else refused
                    score["read"] += bool(right)
                    if not right:
                        score["failed"].append(row["file"])
                    continue
                score["gold_total"] += 1
                ok = error is None and bool(norm(text))
                score["read"] += ok
                score["seconds"] += best
                score["mb"] += path.stat().st_size / 1e6 if ok else 0
                gold = ok and norm(row["gold_sentence"]) in norm(text)
                where = title if reader is newsmine else text
                found, wanted = norm(where), norm(row["title"])
                score["titles"] += ok and (wanted in found or (bool(found) and found in wanted
                                                                 and len(found) >= 0.6 * len(wanted)))
                score["gold"] += gold
                if not gold:
                    score["failed"].append(row["file"] + ("" if error is None else f" ({type(error).__name__})"))
            results.append(score)
    return results


def table(results: list[dict]) -> str:
    lines = ["| reader | format | files read (incl. right refusals) | titles | gold sentences | time | MB/s | missed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in results:
        speed = f"{s['mb'] / s['seconds']:.1f}" if s["seconds"] > 0 and s["mb"] else "–"
        lines.append(f"| {s['reader']} | {s['format']} | {s['read']}/{s['files']} | {s['titles']}/{s['gold_total']} | "
                     f"{s['gold']}/{s['gold_total']} | {s['seconds']:.2f} s | {speed} | {', '.join(s['failed']) or '–'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the best time counts")
    args = parser.parse_args()
    print(table(run(max(1, args.repeat))))


if __name__ == "__main__":
    main()
