"""`newsmine ingest` run again over what it stored: no NLP for texts the store already holds.

The store keeps its copy of an unchanged text and drops a new analysis of it, so analysing it
again only costs time (the NLP stage is nearly all of an ingest's). Checked on both back ends
with the seed article, a real regional news text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nlp.pipeline
from conftest import SEED_TEXT
from index_backends import BACKENDS, make_backend, row_counts
from newsmine.ingesting import ingest_file


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    yield from make_backend(request, tmp_path_factory)


def _write(path: Path, bodies: list[str]) -> Path:
    lines = [{"url": f"https://news.example.kr/article/{i}", "title": f"기사 {i}", "body": body,
              "published_at": "2024-05-0{}T09:00:00+09:00".format(i + 1), "outlet": "예시일보"}
             for i, body in enumerate(bodies)]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    return path


def test_a_rerun_analyses_only_the_texts_that_changed(backend, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed = SEED_TEXT.read_text(encoding="utf-8")
    paragraphs = [p for p in seed.split("\n") if p.strip()]
    bodies = [seed, "\n".join(paragraphs[:3])]
    url = backend.url("rerun")
    first = ingest_file(_write(tmp_path / "a.jsonl", bodies), url)
    assert first["new"] == 2
    with backend.open("rerun") as store:
        before = row_counts(store)
    assert before["achievements"] > 0          # the first run did analyse

    analysed: list[str] = []
    real = nlp.pipeline.enrich_record

    def counting(record: dict) -> dict:
        analysed.append(record["url"])
        return real(record)

    monkeypatch.setattr(nlp.pipeline, "enrich_record", counting)
    again = ingest_file(_write(tmp_path / "b.jsonl", bodies), url)
    assert again == {"new": 0, "updated": 0, "unchanged": 2, "cut": 0}
    assert analysed == []
    with backend.open("rerun") as store:
        assert row_counts(store) == before

    # the same text under another url of the same article: not analysed, but the url is kept
    moved = tmp_path / "m.jsonl"
    moved.write_text(json.dumps({"url": "https://m.news.example.kr/article/0", "title": "기사 0", "body": seed,
                                 "canonical_url": "https://news.example.kr/article/0", "outlet": "예시일보",
                                 "published_at": "2024-05-01T09:00:00+09:00"}, ensure_ascii=False), encoding="utf-8")
    assert ingest_file(moved, url)["unchanged"] == 1 and analysed == []
    with backend.open("rerun") as store:
        assert store.has_url("https://m.news.example.kr/article/0")

    changed = ingest_file(_write(tmp_path / "c.jsonl", [seed, bodies[1] + "\n추가된 문단입니다."]), url)
    assert changed == {"new": 0, "updated": 1, "unchanged": 1, "cut": 0}
    assert analysed == ["https://news.example.kr/article/1"]
