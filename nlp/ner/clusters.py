"""Word clusters from Kiwi's own CoNg morpheme embeddings (no extra download).

Kiwi exposes only cosine similarities, not vectors, so each morpheme with an embedding (the
language-model vocabulary, ids below ~70k) gets a profile: its similarity to a fixed set of
anchor morphemes. k-means over those profiles at a few granularities gives Brown-cluster-like
ids that let the CRF generalise from 외교부 to 국방부 or from 브라질 to 칠레. Tables are keyed by
Kiwi morpheme id, so they are tied to the kiwipiepy_model version recorded next to them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

NO_CLUSTER = 65535


def embedded_vocab_size(kiwi) -> int:  # type: ignore[no-untyped-def]
    """First morpheme id without an embedding (the LM vocabulary is a prefix of the ids)."""
    probe = 782  # any id inside the vocabulary
    lo, hi = 1, 1_000_000
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            ok = not math.isnan(kiwi.morpheme_similarity(mid, probe))
        except Exception:  # noqa: BLE001 — past the end of the morpheme table
            ok = False
        if ok:
            lo = mid + 1
        else:
            hi = mid
    return lo


def profiles(kiwi, size: int, n_anchors: int, seed: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """size × n_anchors cosine similarities to anchors drawn (seeded) from frequent ids."""
    rng = np.random.default_rng(seed)
    anchors = np.sort(rng.choice(np.arange(100, min(size, 20000)), size=n_anchors, replace=False))
    out = np.zeros((size, n_anchors), dtype=np.float32)
    sim = kiwi.morpheme_similarity
    for i in range(size):
        row = out[i]
        for j, a in enumerate(anchors):
            row[j] = sim(i, int(a))
    out = np.nan_to_num(out)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-6)


def build_tables(kiwi, sizes: tuple[int, ...], n_anchors: int = 256, seed: int = 13) -> dict[int, np.ndarray]:  # type: ignore[no-untyped-def]
    """Cluster id per morpheme id for each granularity in `sizes` (k-means, fixed seed)."""
    from sklearn.cluster import MiniBatchKMeans

    size = embedded_vocab_size(kiwi)
    vectors = profiles(kiwi, size, n_anchors, seed)
    tables: dict[int, np.ndarray] = {}
    for k in sizes:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_iter=200)
        tables[k] = km.fit_predict(vectors).astype(np.uint16)
    return tables


def save_tables(tables: dict[int, np.ndarray], path: Path) -> None:
    np.savez_compressed(path, **{f"k{k}": v for k, v in tables.items()})


def load_tables(path: Path) -> dict[int, np.ndarray]:
    with np.load(path) as data:
        return {int(name[1:]): data[name] for name in data.files}
