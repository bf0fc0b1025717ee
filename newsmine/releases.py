"""Press releases and their pickup: the data behind `newsmine releases`, /api/releases and the
/releases pages. Links come from `newsmine trace` (index/tracing.py).

- `release_view` — one release: its header fields and every outlet's article that rewrites
  it, with the delay, overlap, kept share and additions.
- `source_release` — the release an article rewrites (None if none is linked).
- `pickup` — for an issuing body, each release and how many outlets carried it within N days.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from newsmine.queries import NotFound, run


def _info(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value) if value else {}
    except ValueError:
        return {}


def _issuer(info: dict[str, Any], outlet: str | None) -> str | None:
    return info.get("issuer") or outlet


def _trace_state(db: Any) -> dict[str, Any] | None:
    row = run(db, "SELECT value FROM index_state WHERE key = 'trace'")
    return json.loads(row[0][0]) if row else None


def _link(row: tuple) -> dict[str, Any]:
    (article_id, url, title, outlet, published_at, overlap, kept, kept_n, total, delay, additions) = row
    return {"id": article_id, "url": url, "title": title, "outlet": outlet, "published_at": published_at,
            "delay_hours": None if delay is None else float(delay), "overlap": float(overlap),
            "kept": float(kept), "kept_sentences": int(kept_n), "release_sentences": int(total),
            "additions": _info(additions) or {"quotes": [], "figures": [], "firms": []}}


LINK_COLUMNS = ("a.id, a.url, a.title, a.outlet, a.published_at, l.overlap, l.kept, l.kept_sentences, "
                "l.release_sentences, l.delay_hours, l.additions")


def release_view(store: Any, release_id: str) -> dict[str, Any]:
    """One release and the articles that rewrite it, earliest first; NotFound if the id is no
    stored press release."""
    with store.read() as db:
        rows = run(db, "SELECT seq, id, url, title, outlet, source, published_at, release_info FROM articles "
                       "WHERE id = ? AND kind = 'press_release'", (release_id,))
        if not rows:
            raise NotFound(f"no press release '{release_id}' in the index")
        seq, rid, url, title, outlet, source, published_at, info = rows[0]
        links = run(db, f"SELECT {LINK_COLUMNS} FROM release_links l JOIN articles a ON a.seq = l.article_seq "
                        "WHERE l.release_seq = ? ORDER BY l.delay_hours, a.seq", (seq,))
        state = _trace_state(db)
    info = _info(info)
    articles = [_link(r) for r in links]
    return {
        "release": {"id": rid, "url": url, "title": title, "outlet": outlet, "source": source,
                    "published_at": published_at, "issuer": _issuer(info, outlet),
                    "department": info.get("department"), "contact": info.get("contact"),
                    "attachments": [a.get("name") for a in info.get("attachments", []) if a.get("status") == "read"]},
        "outlets": len({a["outlet"] or a["url"] for a in articles}),
        "articles": articles,
        "traced": state,
    }


def source_release(store: Any, article_id: str) -> dict[str, Any] | None:
    """The release a news article rewrites, with the link's scores; None if it has none."""
    with store.read() as db:
        rows = run(db, "SELECT r.id, r.url, r.title, r.outlet, r.published_at, r.release_info, l.overlap, "
                       "l.kept, l.kept_sentences, l.release_sentences, l.delay_hours, l.additions "
                       "FROM articles a JOIN release_links l ON l.article_seq = a.seq "
                       "JOIN articles r ON r.seq = l.release_seq WHERE a.id = ?", (article_id,))
    if not rows:
        return None
    rid, url, title, outlet, published_at, info, overlap, kept, kept_n, total, delay, additions = rows[0]
    return {"id": rid, "url": url, "title": title, "issuer": _issuer(_info(info), outlet),
            "published_at": published_at, "delay_hours": None if delay is None else float(delay),
            "overlap": float(overlap), "kept": float(kept), "kept_sentences": int(kept_n),
            "release_sentences": int(total), "additions": _info(additions)}


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def body_parts(article: dict[str, Any]) -> list[dict[str, Any]]:
    """A press release's body in the parts its `release.sections` name: [{"file": None for the
    board page, else the attachment's name, "paragraphs": [...]}], in order; [] for a news
    article or a release stored without sections (its page shows the body whole)."""
    body = article.get("body") or ""
    release = article.get("release") if article.get("kind") == "press_release" else None
    parts = []
    for section in (release or {}).get("sections") or []:
        start, end = section.get("start"), section.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(body):
            return []   # offsets that do not fit the body: show it whole rather than cut wrongly
        parts.append({"file": section.get("file"), "paragraphs": paragraphs(body[start:end])})
    return parts


def pickup(store: Any, issuer: str, days: int = 14) -> dict[str, Any]:
    """Each release of the issuing body (its stated issuer, outlet or source contains `issuer`)
    and how many outlets carried it within `days` days, newest release first."""
    needle = issuer.strip()
    if not needle:
        raise ValueError("name an issuing body")
    if days < 0:
        raise ValueError("days must be 0 or more")
    with store.read() as db:
        rows = run(db, "SELECT seq, id, url, title, outlet, source, published_at, release_info FROM articles "
                       "WHERE kind = 'press_release' ORDER BY published_at DESC, seq DESC")
        mine = []
        for seq, rid, url, title, outlet, source, published_at, info in rows:
            info = _info(info)
            named = [info.get("issuer"), outlet, source]
            if any(needle in (n or "") for n in named):
                mine.append((seq, rid, url, title, published_at, _issuer(info, outlet)))
        links: dict[int, list[tuple]] = {}
        seqs = [m[0] for m in mine]
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            for release_seq, outlet, url, delay in run(
                db, f"SELECT l.release_seq, a.outlet, a.url, l.delay_hours FROM release_links l "
                    f"JOIN articles a ON a.seq = l.article_seq WHERE l.release_seq IN ({', '.join('?' for _ in chunk)})",
                chunk,
            ):
                links.setdefault(release_seq, []).append((outlet, url, delay))
        state = _trace_state(db)
    out = []
    for seq, rid, url, title, published_at, name in mine:
        within = [(o, u, d) for o, u, d in links.get(seq, []) if d is None or float(d) <= days * 24]
        outlets = sorted({o or u for o, u, _ in within})
        delays = [float(d) for _, _, d in within if d is not None]
        out.append({"id": rid, "url": url, "title": title, "issuer": name, "published_at": published_at,
                    "outlets": len(outlets), "articles": len(within), "outlet_names": outlets,
                    "first_delay_hours": min(delays) if delays else None})
    return {"issuer": needle, "days": days, "releases": out,
            "picked_up": sum(1 for r in out if r["outlets"]), "traced": state}


def delay_text(hours: float | None) -> str:
    """'5시간', '2일 3시간', '발표 전' (Korean, for the pages and the terminal)."""
    if hours is None:
        return "-"
    if hours < 0:
        return "발표 전"
    if hours < 24:
        return f"{int(round(hours))}시간"
    days, rest = divmod(int(round(hours)), 24)
    return f"{days}일" + (f" {rest}시간" if rest else "")


def parse_day(value: str | None) -> str | None:
    """A --since date checked (YYYY-MM-DD), or None."""
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None
