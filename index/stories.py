"""Stories: the same press release rewritten by several outlets gets one story id.

A MinHash signature (datasketch; character 5-gram shingles of the normalised body) is split
into LSH bands; each band hash is a row of `story_bands`, so finding candidates is one indexed
SQL lookup that scales with the db and needs no in-memory index rebuilt at start-up. Candidates
are confirmed with the Jaccard estimate from the stored signatures. A new article joins the
story of its most similar confirmed candidate; otherwise it starts a story whose id is its own.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# numpy and datasketch (which pulls in scipy, ~1 s) load on first use: searching needs neither.

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.5  # estimated Jaccard of 5-gram sets; rewrites of one release sit well above
BANDS, ROWS = 25, 5  # datasketch's optimum for threshold 0.5, 128 permutations
SCHEME = "affine32"  # pinned: stored signatures must stay comparable across versions
MIN_CHARS = 50  # shorter normalised bodies never join a story (too little evidence)
MAX_CANDIDATES = 64

_NOISE = re.compile(r"[\W_]+")


def normalise(body: str) -> str:
    """Letters and digits only, NFKC, lower case: spacing and punctuation edits do not count."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", body).lower())


def shingles(text: str) -> set[str]:
    """The character 5-grams of a normalised text (what stories and release tracing compare)."""
    return normalised_shingles(normalise(text))


def normalised_shingles(norm: str) -> set[str]:
    """The 5-grams of a text already normalised."""
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _permutations() -> object:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def signature(body: str) -> "np.ndarray | None":
    """MinHash values (uint32) of a body, or None when it is too short to compare."""
    import numpy as np
    from datasketch import MinHash

    text = normalise(body)
    if len(text) < MIN_CHARS:
        return None
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch([s.encode("utf-8") for s in normalised_shingles(text)])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def band_hashes(sig: "np.ndarray") -> list[int]:
    """One signed 64-bit hash per band (band number included, so bands never collide)."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def similarity(a: "np.ndarray", b: "np.ndarray") -> float:
    """Jaccard estimate of two signatures."""
    return float((a == b).mean())


def to_blob(sig: "np.ndarray") -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> "np.ndarray":
    import numpy as np

    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


# ---------------------------------------------------------------- SQL side
# `conn` is either back end's connection adapter (`?` placeholders, portable SQL).


def forget(conn: Any, seq: int) -> None:
    """Remove an article's signature and bands (before its body changes)."""
    row = conn.execute(
        "SELECT signature FROM story_signatures WHERE article_seq = ?", (seq,)
    ).fetchone()
    if row is None:
        return
    conn.executemany(
        "DELETE FROM story_bands WHERE hash = ? AND article_seq = ?",
        [(h, seq) for h in band_hashes(from_blob(row[0]))],
    )
    conn.execute("DELETE FROM story_signatures WHERE article_seq = ?", (seq,))


def best_match(conn: Any, seq: int, sig: "np.ndarray") -> str | None:
    """Story id of the most similar stored article (≥ THRESHOLD), if any."""
    hashes = band_hashes(sig)
    marks = ", ".join("?" for _ in hashes)
    rows = conn.execute(
        f"SELECT b.article_seq, s.signature, a.story_id FROM "
        f"(SELECT article_seq, COUNT(*) AS shared FROM story_bands WHERE hash IN ({marks}) "
        f" AND article_seq != ? GROUP BY article_seq ORDER BY shared DESC, article_seq "
        f" LIMIT {MAX_CANDIDATES}) b "
        f"JOIN story_signatures s ON s.article_seq = b.article_seq "
        f"JOIN articles a ON a.seq = b.article_seq",
        [*hashes, seq],
    ).fetchall()
    best: tuple[float, int, str] | None = None
    for other, blob, story_id in rows:
        score = similarity(sig, from_blob(blob))
        if score >= THRESHOLD and (best is None or (score, -other) > (best[0], -best[1])):
            best = (score, other, story_id)
    return best[2] if best else None


def remember(conn: Any, seq: int, sig: "np.ndarray") -> None:
    conn.execute(
        "INSERT INTO story_signatures (article_seq, signature) VALUES (?, ?)", (seq, to_blob(sig))
    )
    conn.executemany(
        "INSERT INTO story_bands (hash, article_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(h, seq) for h in band_hashes(sig)],
    )


def assign(
    conn: Any, seq: int, article_id: str, body: str, current: str | None
) -> str:
    """Index the body's signature and return the article's story id.

    `current` is the story id before an update (None for a new article). An article that
    heads a story other articles belong to keeps its id, so they are not orphaned.
    """
    forget(conn, seq)
    sig = signature(body)
    if current == article_id:
        others = conn.execute(
            "SELECT 1 FROM articles WHERE story_id = ? AND seq != ? LIMIT 1", (article_id, seq)
        ).fetchone()
        if others:
            if sig is not None:
                remember(conn, seq, sig)
            return article_id
    if sig is None:
        return article_id
    story = best_match(conn, seq, sig)
    remember(conn, seq, sig)
    return story or article_id
