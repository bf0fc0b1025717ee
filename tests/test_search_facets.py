"""SQLite: outlet:, type: and kind: filters and whole months are tokens of the full-text index (schema v15).

What must hold: a filter read from FTS5 finds exactly the articles the same filter finds in the
article rows (article_meta, achievements), the tokens follow an article when its outlet or its
achievements change, and an index stored before v15 gains them when it is opened.
"""

from __future__ import annotations

import sqlite3

import pytest

from index import open_store
from index.sqlite import SQLiteStore

BODY = "{firm} 관계자는 지역 기업과 납품 계약을 맺었다고 밝혔다. 회사는 수출도 늘렸다."


def _record(n: int, outlet: str, source: str, types: tuple[str, ...], kind: str = "article") -> dict:
    firm = f"가람테크{n}"
    body = BODY.format(firm=firm)
    return {
        "url": f"https://news.example.kr/{n}",
        "title": f"소식 {n}" + (" 계약" if n % 3 == 0 else ""),
        "outlet": outlet,
        "source": source,
        "kind": kind,
        "published_at": None if n % 11 == 0 else f"2024-0{1 + n % 9}-1{n % 10}T09:00:00+09:00",
        "body": body if n % 4 else body.replace("납품 계약을 맺었다고", "신제품을 내놓았다고"),
        "organizations": [{"name": firm, "kind": "firm", "surface": [firm], "mentions": [[0, len(firm)]]}],
        "achievements": [{"type": t, "organization": firm, "span": [0, 20], "evidence": "계약", "scope": "firm"}
                         for t in types],
    }


OUTLETS = ["익산 투데이", "전북\"일보", "뉴스스텝"]      # a space and a quote: one token all the same
TYPES = [(), ("contract",), ("contract", "export"), ("selection",)]


def _records() -> list[dict]:
    return [_record(n, OUTLETS[n % 3], "보도자료 게시판" if n % 5 == 0 else OUTLETS[n % 3],
                    TYPES[n % 4], "press_release" if n % 7 == 0 else "article") for n in range(1, 41)]


def _ids(store, query: str) -> set[str]:
    result = store.search(query, collapse=False, limit=100, exact_total=True)
    assert result["total"] == len(result["hits"])
    return {h["id"] for h in result["hits"]}


def _rows_ids(store, where: str, params: list, words: str | None = "계약") -> set[str]:
    """The same filter over the article rows, as search read it before v15."""
    sql = f"SELECT a.id FROM articles a WHERE {where}"
    if words is not None:
        sql += " AND a.seq IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
        params = [*params, f'"{words}"']
    with store._read() as db:
        return {r[0] for r in db.execute(sql, params).fetchall()}


def _compiled(store, query: str):
    with store._read() as db:
        return store._compile(db, query)


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "facets.sqlite"))
    s.upsert_many(_records())
    yield s
    s.close()


def test_filters_read_from_the_full_text_index_match_the_article_rows(store) -> None:
    by_type = "EXISTS (SELECT 1 FROM achievements x WHERE x.article_seq = a.seq AND x.type = ?)"
    cases = [
        ("outlet:\"익산 투데이\" 계약", "(a.outlet = ? OR a.source = ?)", ["익산 투데이"] * 2),
        ('outlet:"전북\\"일보" 계약', "(a.outlet = ? OR a.source = ?)", ['전북"일보'] * 2),
        ("outlet:\"보도자료 게시판\" 계약", "(a.outlet = ? OR a.source = ?)", ["보도자료 게시판"] * 2),
        ("계약 -outlet:뉴스스텝", "NOT (coalesce(a.outlet = ?, 0) OR coalesce(a.source = ?, 0))", ["뉴스스텝"] * 2),
        ("type:contract 계약", by_type, ["contract"]),
        ("type:export 계약", by_type, ["export"]),
        ("계약 -type:contract", f"NOT {by_type}", ["contract"]),
        ("kind:press_release 계약", "a.kind = ?", ["press_release"]),
        ("kind:article type:selection 계약", f"a.kind = ? AND {by_type}", ["article", "selection"]),
        ("(outlet:뉴스스텝 OR type:export) 계약", f"(a.outlet = ? OR a.source = ? OR {by_type})",
         ["뉴스스텝", "뉴스스텝", "export"]),
        # whole months: the OR of their tokens; a range cut inside a month stays SQL
        ("from:2024-02 to:2024-04 계약", "a.published_at >= ? AND a.published_at < ?", ["2024-02-01", "2024-05-01"]),
        ("from:2024 to:2024 계약 outlet:뉴스스텝", "a.published_at >= ? AND a.published_at < ? AND a.outlet = ?",
         ["2024-01-01", "2025-01-01", "뉴스스텝"]),
        ("from:2024-03-12 to:2024-06 계약", "a.published_at >= ? AND a.published_at < ?", ["2024-03-12", "2024-07-01"]),
        ("from:2024-02 to:2024-04 계약 -type:contract", f"a.published_at >= ? AND a.published_at < ? AND NOT {by_type}",
         ["2024-02-01", "2024-05-01", "contract"]),
    ]
    assert "facet_t" in _compiled(store, "from:2024-02 to:2024-04 계약").match
    assert "published_at" in _compiled(store, "from:2024-03-12 to:2024-06 계약").where
    for query, where, params in cases:
        expected = _rows_ids(store, where, params)
        assert expected, query            # every case selects something, and not everything
        assert expected != _rows_ids(store, "1", []), query
        assert _ids(store, query) == expected, query
    # a filter alone, and beside another table's filter
    assert _ids(store, "type:export") == _rows_ids(store, by_type, ["export"], words=None)
    assert _ids(store, "outlet:뉴스스텝 firm:가람테크3") == _rows_ids(
        store, "a.outlet = ? AND a.id = ?", ["뉴스스텝", store.search("firm:가람테크3")["hits"][0]["id"]], words=None)


def test_the_tokens_follow_a_changed_outlet_and_new_achievements(store) -> None:
    record = _records()[3]                       # n = 4: 전북"일보, no achievement
    assert record["outlet"] == '전북"일보' and not record["achievements"]
    moved = dict(record, outlet="익산 투데이", source="익산 투데이", body=record["body"] + " 추가 문장.",
                 achievements=[{"type": "export", "organization": "가람테크4", "span": [0, 20],
                                "evidence": "수출", "scope": "firm"}])
    store.upsert_many([moved])                   # a new version: outlet and achievements changed
    first = {h["id"] for h in store.search("가람테크4", collapse=False)["hits"]}
    assert first and first <= _ids(store, 'outlet:"익산 투데이" 회사')
    assert not first & _ids(store, 'outlet:"전북\\"일보" 회사')
    assert first <= _ids(store, "type:export 회사")
    store.upsert_article(dict(moved, achievements=[]), force=True)   # re-analysed: no achievement now
    assert not first & _ids(store, "type:export 회사")


def test_an_index_stored_before_v15_gains_the_tokens_when_opened(tmp_path) -> None:
    path = str(tmp_path / "v14.sqlite")
    old = SQLiteStore(path, schema_version=14)
    conn = old.conn
    for n, (outlet, kind, types) in enumerate([("뉴스스텝", "article", "contract"),
                                               ("익산 투데이", "press_release", "contract\nexport"),
                                               ("뉴스스텝", "article", "")], start=1):
        conn.execute("INSERT INTO articles (id, canonical_url, url, outlet, source, story_id, created_at, updated_at, "
                     "content_hash, kind, achievement_types, published_at) VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', "
                     "'2025-01-01', 'h', ?, ?, ?)", (f"a{n}", f"https://x.kr/{n}", f"https://x.kr/{n}", outlet, outlet,
                                                     f"a{n}", kind, types, f"2025-0{n}-05"))
        conn.execute("INSERT INTO article_meta (seq, story_id, outlet, source, kind, achievement_types, published_at) "
                     "SELECT seq, story_id, outlet, source, kind, achievement_types, published_at FROM articles "
                     "WHERE id = ?", (f"a{n}",))
        conn.execute("INSERT INTO article_fts (rowid, title_t, body_t, title_c, body_c) "
                     "SELECT seq, '소식', '납품 계약 체결', '', '' FROM articles WHERE id = ?", (f"a{n}",))
    old.close()
    with open_store(path) as store:
        assert store.search("outlet:뉴스스텝 계약", collapse=False)["total"] == 2
        assert store.search("outlet:\"익산 투데이\" 계약 kind:press_release", collapse=False)["total"] == 1
        assert store.search("계약 -type:contract", collapse=False)["total"] == 1
        assert store.search("type:export 소식", collapse=False)["total"] == 1
        assert store.search("체결", collapse=False)["total"] == 3     # the terms were carried over
        assert store.search("from:2025-02 to:2025-03 체결", collapse=False)["total"] == 2
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE name LIKE 'article_fts%'")}
    assert "article_fts_v15" not in tables
