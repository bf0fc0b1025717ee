"""Tracing: each news article linked to the press release it rewrites.

`newsmine trace` runs this over the stored releases (articles of kind `press_release`). For each
release, the candidates are the news articles published from one day before it to `days` days
after it (default 14) that share an organisation with it (any article the NLP stage named no
organisation in is a candidate too). Each candidate is scored by shared passages:

- **overlap** — the share of the article's character 5-gram shingles (the normalisation of
  index/stories.py: letters and digits only) found in the release. A rewrite that keeps the
  release's sentences scores 0.5–0.95, a paraphrase 0.25–0.5, an article about the same firm
  with other news under 0.1 (the test archive, bench/RESULTS.md "Release tracing").
  Containment rather than Jaccard, since a release is usually longer than the rewrite that
  cuts it.
- **kept** — an alignment of sentences: a release sentence is kept when an article sentence
  matches it (rapidfuzz ratio ≥ SENTENCE_MATCH on normalised text) or when most of its
  shingles appear in the article (a sentence split or merged by the rewrite). `kept` is the
  share of the release's sentences kept (header lines, titles and lines under 15 characters
  are no sentences).

An article is linked when overlap ≥ MIN_OVERLAP and it kept at least one release sentence, to
the release it overlaps most (one source release per article). The link records what the
article **added**: quotes (“…” or "…") not in the release, figures (nlp/amounts.py: value and
unit) the release does not state, and firms the article names that the release does not.

Why a separate pass and not the store: a release's rewrites appear over days after it and a
crawl stores pages in no set order (a rewrite may be stored before its release), so links are
computed over date windows once both sides are stored. The pass is idempotent: a full run
replaces every link in one transaction, `since` replaces the links of the releases it covers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from index.common import now
from index.stories import normalise, normalised_shingles, shingles

DAYS = 14                 # articles up to this many days after the release are candidates
BEFORE = timedelta(days=1)  # and from one day before it (dates rounded, embargoes broken)
MIN_OVERLAP = 0.2         # share of the article's shingles found in the release
SENTENCE_MATCH = 70.0     # rapidfuzz ratio of a release sentence and an article sentence
SENTENCE_COVER = 0.6      # or: share of the sentence's shingles found in the article
MIN_SENTENCE = 15         # normalised characters of a sentence that counts
QUOTE_NEW = 0.5           # a quote is new when less of its shingles than this are in the release
MIN_QUOTE = 6

_SENTENCES = re.compile(r"(?<=[.!?。])[\"'”’)]*\s+|\n+")
_ENDS = re.compile(r"(?:[.!?。]|다)[\"'”’)]*$")
_HEADER = re.compile(r"\d{2,3}[-)．.\s]\d{3,4}[-．.\s]\d{4}|^(?:담\s*당|보\s*도\s*(?:시\s*점|일\s*시|자\s*료)|"
                     r"배\s*포\s*[일:|]|(?:자\s*료\s*)?문\s*의\s*[:|]|붙\s*임)")
_QUOTES = re.compile(r"“([^”]{%d,})”|\"([^\"]{%d,})\"" % (MIN_QUOTE, MIN_QUOTE))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.split(text) if s and s.strip()]


def release_sentences(text: str) -> list[str]:
    """The sentences of a release that count for `kept`: no header lines or titles."""
    return [s for s in sentences(text)
            if len(normalise(s)) >= MIN_SENTENCE and _ENDS.search(s) and not _HEADER.search(s)]


def quotes(text: str) -> list[str]:
    return [(m.group(1) or m.group(2)).strip() for m in _QUOTES.finditer(text)]


def _figures(text: str) -> list[tuple[Any, str, str]]:
    from nlp.amounts import find_amounts

    return [(a.value, a.unit, a.text) for a in find_amounts(text)]


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # a date without a zone: Korean time
        moment = moment.replace(tzinfo=timezone(timedelta(hours=9)))
    return moment


@dataclass
class Text:
    """One stored text and what the scoring needs of it (computed once per pass)."""

    seq: int
    published: datetime
    title: str
    body: str
    orgs: dict[str, str] = field(default_factory=dict)   # name -> kind
    loaded: bool = True          # title and body read (candidates read them only when needed)
    _shingles: set[str] | None = None
    _sentences: list[str] | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"

    @property
    def shingle_set(self) -> set[str]:
        if self._shingles is None:
            self._shingles = shingles(self.text)
        return self._shingles

    @property
    def sentence_list(self) -> list[str]:
        if self._sentences is None:
            self._sentences = sentences(self.body)
        return self._sentences


@dataclass
class Link:
    article_seq: int
    release_seq: int
    overlap: float
    kept: float
    kept_sentences: int
    release_sentences: int
    delay_hours: float
    additions: dict[str, list]

    def row(self, stamp: str) -> tuple:
        return (self.article_seq, self.release_seq, round(self.overlap, 4), round(self.kept, 4),
                self.kept_sentences, self.release_sentences, round(self.delay_hours, 2),
                json.dumps(self.additions, ensure_ascii=False), stamp)


def overlap(article: Text, release: Text) -> float:
    own = article.shingle_set
    return len(own & release.shingle_set) / len(own) if own else 0.0


def alignment(release: Text, article: Text) -> tuple[int, int]:
    """(release sentences the article kept, release sentences)."""
    from rapidfuzz import fuzz

    wanted = release_sentences(release.body)
    theirs = [normalise(s) for s in article.sentence_list]
    theirs = [s for s in theirs if s]
    kept = 0
    for sentence in wanted:
        norm = normalise(sentence)
        if any(fuzz.ratio(norm, other) >= SENTENCE_MATCH for other in theirs):
            kept += 1
            continue
        own = normalised_shingles(norm)
        if own and len(own & article.shingle_set) / len(own) >= SENTENCE_COVER:
            kept += 1
    return kept, len(wanted)


def additions(release: Text, article: Text) -> dict[str, list]:
    """What the article says that the release does not: quotes, figures, firms."""
    new_quotes = []
    for quote in quotes(article.body):
        own = shingles(quote)
        if own and len(own & release.shingle_set) / len(own) < QUOTE_NEW and quote not in new_quotes:
            new_quotes.append(quote)
    stated = {(value, unit) for value, unit, _ in _figures(release.text)}
    new_figures: list[str] = []
    for value, unit, text in _figures(article.body):
        if (value, unit) not in stated and text not in new_figures:
            new_figures.append(text)
    release_norm = normalise(release.text)
    new_firms = [name for name, kind in article.orgs.items()
                 if kind == "firm" and name not in release.orgs and normalise(name) not in release_norm]
    return {"quotes": new_quotes, "figures": new_figures, "firms": new_firms}


def score(release: Text, article: Text) -> Link | None:
    """The link of an article to a release, or None when it does not rewrite it."""
    share = overlap(article, release)
    if share < MIN_OVERLAP:
        return None
    kept, total = alignment(release, article)
    if kept == 0:
        return None
    delay = (article.published - release.published).total_seconds() / 3600
    return Link(article.seq, release.seq, share, kept / total if total else 0.0, kept, total, delay,
                additions(release, article))


# ---------------------------------------------------------------- SQL side
# `db` is either back end's connection adapter (`?` placeholders, portable SQL).


def _orgs(db: Any, seqs: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {s: {} for s in seqs}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for seq, name, kind in db.execute(
            f"SELECT ao.article_seq, o.name, o.kind FROM article_orgs ao JOIN organizations o "
            f"ON o.id = ao.org_id WHERE ao.article_seq IN ({marks}) ORDER BY ao.article_seq, ao.position",
            chunk,
        ).fetchall():
            out[seq].setdefault(name, kind)
    return out


def _texts(db: Any, rows: Iterable[tuple]) -> list[Text]:
    texts = []
    for seq, published, title, body in rows:
        moment = _parse_time(published)
        if moment is not None:
            texts.append(Text(int(seq), moment, title or "", body or ""))
    orgs = _orgs(db, [t.seq for t in texts])
    for t in texts:
        t.orgs = orgs[t.seq]
    return texts


def releases(db: Any, since: str | None = None) -> list[Text]:
    """The dated releases (published on or after `since`), oldest first."""
    sql = "SELECT seq, published_at, title, body FROM articles WHERE kind = 'press_release' AND published_at IS NOT NULL"
    params: list[Any] = []
    if since:
        sql += " AND published_at >= ?"
        params.append(since)
    return sorted(_texts(db, db.execute(sql + " ORDER BY published_at, seq", params).fetchall()),
                  key=lambda t: (t.published, t.seq))


def candidates(db: Any, release: Text, days: int, cache: dict[int, Text]) -> list[Text]:
    """News articles of the release's date window that share an organisation with it (or that
    have no organisations stored: articles stored without the NLP stage). Bodies are read
    only for those; `cache` keeps them for the next release's overlapping window."""
    start, end = release.published - BEFORE, release.published + timedelta(days=days)
    # published_at is ISO text with its own offset: a day's margin either side, then exact
    rows = db.execute(
        "SELECT seq, published_at FROM articles WHERE kind = 'article' "
        "AND published_at >= ? AND published_at < ? ORDER BY seq",
        ((start - timedelta(days=1)).date().isoformat(), (end + timedelta(days=2)).date().isoformat()),
    ).fetchall()
    fresh = [(int(seq), moment) for seq, published in rows
             if int(seq) not in cache and (moment := _parse_time(published)) is not None]
    orgs = _orgs(db, [seq for seq, _ in fresh])
    for seq, moment in fresh:   # bodies not read yet (loaded = False)
        cache[seq] = Text(seq, moment, "", "", orgs[seq], loaded=False)
    out = [cache[int(seq)] for seq, _ in rows
           if int(seq) in cache and start <= cache[int(seq)].published <= end
           and (not cache[int(seq)].orgs or not release.orgs or set(cache[int(seq)].orgs) & set(release.orgs))]
    unread = [t.seq for t in out if not t.loaded]
    for i in range(0, len(unread), 500):
        chunk = unread[i : i + 500]
        for seq, title, body in db.execute(
            f"SELECT seq, title, body FROM articles WHERE seq IN ({', '.join('?' for _ in chunk)})", chunk,
        ).fetchall():
            text = cache[int(seq)]
            text.title, text.body, text.loaded = title or "", body or "", True
    return out


def _evict(cache: dict[int, Text], before: datetime) -> None:
    """Forget the texts no later release's window reaches (releases come oldest first)."""
    for seq in [seq for seq, text in cache.items() if text.published < before]:
        del cache[seq]


def compute(db: Any, *, days: int = DAYS, since: str | None = None) -> tuple[list[Link], list[Text]]:
    """Every article's best link among the releases traced (and those releases)."""
    best: dict[int, Link] = {}
    cache: dict[int, Text] = {}
    traced = releases(db, since)
    for release in traced:
        for article in candidates(db, release, days, cache):
            link = score(release, article)
            if link is None:
                continue
            old = best.get(article.seq)
            if old is None or (link.overlap, link.kept) > (old.overlap, old.kept):
                best[article.seq] = link
        release._shingles = release._sentences = None   # keep memory flat over many releases
        _evict(cache, release.published - BEFORE - timedelta(days=1))
    return sorted(best.values(), key=lambda l: (l.release_seq, l.article_seq)), traced


INSERT = ("INSERT INTO release_links (article_seq, release_seq, overlap, kept, kept_sentences, "
          "release_sentences, delay_hours, additions, traced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def trace(store: Any, *, days: int = DAYS, since: str | None = None) -> dict[str, Any]:
    """Link the stored articles to the releases they rewrite (idempotent, re-runnable).

    A full run replaces every link; with `since` (a date) only the releases published on or
    after it are traced again, and an article keeps a link to an older release it overlaps
    more. Returns counts: releases traced, links, releases picked up."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    with store.read() as db:
        links, traced = compute(db, days=days, since=since)
    stamp = now()
    with store.write() as db:
        if since is None:
            db.execute("DELETE FROM release_links")
            db.executemany(INSERT, [link.row(stamp) for link in links])
        else:
            seqs = [r.seq for r in traced]
            for i in range(0, len(seqs), 500):
                chunk = seqs[i : i + 500]
                db.execute(f"DELETE FROM release_links WHERE release_seq IN ({', '.join('?' for _ in chunk)})", chunk)
            for link in links:
                row = db.execute("SELECT overlap FROM release_links WHERE article_seq = ?",
                                 (link.article_seq,)).fetchone()
                if row is not None and float(row[0]) >= link.overlap:
                    continue
                db.execute("DELETE FROM release_links WHERE article_seq = ?", (link.article_seq,))
                db.execute(INSERT, link.row(stamp))
        db.execute(
            "INSERT INTO index_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            ("trace", json.dumps({"days": days, "since": since, "at": stamp}), stamp))
    return {"releases": len(traced), "links": len(links),
            "releases_picked_up": len({link.release_seq for link in links}), "days": days, "since": since}
