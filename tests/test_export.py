"""Exports: CSV that Excel reads as UTF-8, XLSX that opens back, JSON Lines."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from index.export import FIELDS, write_export
from index_backends import BACKENDS, make_backend

RECORDS = [
    {
        "id": "0123456789abcdef",
        "url": "https://newsstep.example/a/1",
        "canonical_url": "https://newsstep.example/a/1",
        "outlet": "뉴스스텝",
        "title": "전북 SW강소기업, 20억 원 납품 계약",
        "published_at": "2024-09-11T09:30:00+09:00",
        "modified_at": None,
        "authors": ["김기자"],
        "body": "㈜아이티스테이션은 약 20억 원 규모의 납품 계약을 맺었다.\n도는 계속 돕겠다고 했다.",
        "story_id": "0123456789abcdef",
        "organizations": [
            {"name": "아이티스테이션", "kind": "firm", "surface": ["㈜아이티스테이션"],
             "mentions": [[0, 8]]}
        ],
        "achievements": [
            {"type": "contract", "organization": "아이티스테이션",
             "amount": {"value": 2000000000, "unit": "KRW", "approximate": True},
             "date": "2024-09-11", "evidence": "약 20억 원 규모의 납품 계약", "span": [10, 27],
             "confidence": 0.9, "scope": "firm", "counterparty": "한국전력공사"}
        ],
    },
    {
        "id": "fedcba9876543210",
        "url": "https://jbilbo.example/news/7",
        "canonical_url": "https://jbilbo.example/news/7",
        "outlet": "전북일보",
        "title": "=수식처럼 보이는 제목, \"따옴표\"와 쉼표",
        "published_at": None,
        "modified_at": None,
        "authors": [],
        "body": "줄바꿈이\r\n있는 본문",
        "story_id": "fedcba9876543210",
        "organizations": [],
        "achievements": [],
    },
]


def test_csv_has_bom_and_round_trips():
    out = io.BytesIO()
    assert write_export(iter(RECORDS), "csv", out) == 2
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2
    assert list(rows[0]) == list(FIELDS)
    assert rows[0]["title"] == RECORDS[0]["title"]
    assert rows[0]["body"] == RECORDS[0]["body"]
    assert json.loads(rows[0]["organizations"]) == RECORDS[0]["organizations"]
    assert json.loads(rows[0]["achievements"]) == RECORDS[0]["achievements"]
    assert json.loads(rows[0]["authors"]) == ["김기자"]
    assert rows[1]["title"] == "'" + RECORDS[1]["title"]  # a leading "=" is defused
    assert rows[1]["body"] == RECORDS[1]["body"]
    assert rows[1]["published_at"] == ""


def test_csv_to_a_text_stream():
    out = io.StringIO(newline="")
    write_export(RECORDS, "csv", out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    assert "아이티스테이션" in text


def test_xlsx_opens_back():
    out = io.BytesIO()
    assert write_export(iter(RECORDS), "xlsx", out) == 2
    out.seek(0)
    sheet = load_workbook(out, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(FIELDS)
    assert len(rows) == 3
    first = dict(zip(FIELDS, rows[1]))
    assert first["title"] == RECORDS[0]["title"]
    assert json.loads(first["organizations"]) == RECORDS[0]["organizations"]
    second = dict(zip(FIELDS, rows[2]))
    assert second["title"] == RECORDS[1]["title"]  # text, not a formula


def test_xlsx_needs_bytes():
    with pytest.raises(ValueError):
        write_export(RECORDS, "xlsx", io.StringIO())


def test_jsonl_one_object_per_line():
    out = io.BytesIO()
    assert write_export(RECORDS, "jsonl", out) == 2
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) == 2
    assert [json.loads(line) for line in lines] == RECORDS
    assert "아이티스테이션" in lines[0]  # not \\u-escaped

    text = io.StringIO()
    write_export(RECORDS, "jsonl", text)
    assert text.getvalue().count("\n") == 2


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown export format"):
        write_export(RECORDS, "parquet", io.BytesIO())


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


def test_store_records_export(backend):
    with backend.open("e") as store:
        store.upsert_many(dict(r) for r in RECORDS)
        out = io.BytesIO()
        assert write_export(store.iter_records(), "jsonl", out) == 2
    exported = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    assert [r["title"] for r in exported] == [r["title"] for r in RECORDS]
    assert exported[0]["achievements"] == RECORDS[0]["achievements"]


def test_csv_guards_cells_excel_would_run_as_formulas():
    hostile = dict(RECORDS[1], title='=HYPERLINK("http://evil.test","클릭")', authors=["@SUM(1)"],
                   body="-2+3 으로 시작하는 본문")
    out = io.StringIO(newline="")
    write_export([hostile, RECORDS[0]], "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"), newline="")))
    assert rows[0]["title"] == "'" + hostile["title"]
    assert rows[0]["body"] == "'" + hostile["body"]
    assert rows[1]["title"] == RECORDS[0]["title"]  # ordinary text is untouched
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
