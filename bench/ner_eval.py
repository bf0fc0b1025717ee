"""NER benchmark: model size, load time, throughput vs bare Kiwi, and the CV tables.

Run:  .venv/bin/python bench/ner_eval.py [--cv-report CV.json] [--cnn-report CNN.json] [--write]

The reports come from `python -m nlp.ner.train --cv --report CV.json` and
`python -m nlp.ner.cnn --report CNN.json`. Throughput is measured on the 5,000 KLUE-NER dev
sentences (median of --repeat runs, Kiwi already loaded). --write replaces the section
"## NER (KLUE-NER dev, k-fold)" of bench/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.kiwi import get_kiwi  # noqa: E402
from nlp.ner.data import read_gold  # noqa: E402
from nlp.ner.model import DEFAULT_MODEL_DIR, NerModel  # noqa: E402
from nlp.ner.scoring import LABELS  # noqa: E402
from bench.results import write_section  # noqa: E402

HEADING = "## NER (KLUE-NER dev, k-fold)"
GOLD = ROOT / "data" / "klue-ner" / "dev.jsonl"


def _median_seconds(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(repeat: int) -> dict:
    texts = [e.text for e in read_gold(GOLD)]
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir() if p.is_file())
    crf_size = (DEFAULT_MODEL_DIR / "model.crfsuite").stat().st_size
    load = _median_seconds(lambda: NerModel.load(DEFAULT_MODEL_DIR), repeat)
    model = NerModel.load(DEFAULT_MODEL_DIR)
    kiwi1, kiwi2 = get_kiwi(0), get_kiwi(2)
    list(kiwi2.tokenize(texts[:50]))
    tokens = list(kiwi2.tokenize(texts))
    out = {
        "sentences": len(texts), "chars": sum(map(len, texts)),
        "model_bytes": size, "crfsuite_bytes": crf_size, "load_seconds": load,
        "kiwi2_bare": _median_seconds(lambda: list(kiwi2.tokenize(texts)), repeat),
        "ner2_raw": _median_seconds(lambda: model.predict(texts, num_workers=2), repeat),
        "crf_only": _median_seconds(lambda: [model.predict_tokens(t, k) for t, k in zip(texts, tokens)], repeat),
        "kiwi1_bare": _median_seconds(lambda: [kiwi1.tokenize(t) for t in texts], repeat),
    }
    out["ner1_raw"] = out["kiwi1_bare"] + out["crf_only"]
    out["load_average"] = os.getloadavg()[0]
    return out


def speed_lines(m: dict) -> list[str]:
    n = m["sentences"]

    def rate(key: str) -> str:
        return f"{n / m[key]:,.0f}"

    return [
        f"Model: `data/models/ner-crf/` {m['model_bytes'] / 1e6:.1f} MB "
        f"(crfsuite file {m['crfsuite_bytes'] / 1e6:.1f} MB, the rest the frozen name list); "
        f"load {m['load_seconds']:.2f} s (median, `NerModel.load`, Kiwi not included).",
        "",
        f"Throughput on the {n:,} dev sentences ({m['chars']:,} characters), sentences/s, median of runs "
        f"(1-minute load average {m['load_average']:.1f} on 2 cores: other workers were running, so compare "
        "the ratios rather than the absolute rates):",
        "",
        "| path | sentences/s | vs bare Kiwi (same workers) |",
        "| --- | --- | --- |",
        f"| bare Kiwi, `get_kiwi(2).tokenize(batch)` | {rate('kiwi2_bare')} | 1.00 |",
        f"| NER from raw text, `NerModel.predict(batch)` (Kiwi 2 workers + CRF) | {rate('ner2_raw')} | "
        f"{m['kiwi2_bare'] / m['ner2_raw']:.2f} |",
        f"| bare Kiwi, one thread, one text at a time | {rate('kiwi1_bare')} | 1.00 |",
        f"| NER, one thread (Kiwi + features + CRF) | {rate('ner1_raw')} | {m['kiwi1_bare'] / m['ner1_raw']:.2f} |",
        f"| CRF alone on Kiwi tokens (features + Viterbi) | {rate('crf_only')} | – |",
    ]


def cv_lines(report: dict) -> list[str]:
    lines = ["| subset | " + " | ".join(LABELS) + " | micro |", "| --- |" + " --- |" * (len(LABELS) + 1)]
    for subset, name in (("all", "all dev (5,000)"), ("news", "news only `-wikitree` (2,534)")):
        s = report[subset]["per_fold_f1"]
        lines.append(f"| {name} | " + " | ".join(f"{s[k]['mean']:.3f} ± {s[k]['sd']:.3f}" for k in (*LABELS, "micro")) + " |")
    return lines


def cnn_lines(report: dict) -> list[str]:
    out = []
    for subset, name in (("all", "all dev"), ("news", "news only")):
        r = report[subset]
        out.append(f"| {name} | " + " | ".join(f"{r['labels'][k]['f1']:.3f}" for k in LABELS)
                   + f" | {r['micro']['f1']:.3f} |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv-report", type=Path, default=None)
    parser.add_argument("--cnn-report", type=Path, default=None)
    parser.add_argument("--notes", type=Path, default=None, help="markdown appended to the section")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    m = measure(args.repeat)
    lines = [HEADING, ""]
    if args.cv_report:
        lines += ["CRF (approach A), 5-fold CV on KLUE-NER dev — the train split is not available, so every "
                  "figure here is cross-validated on dev. Per-fold F1, mean ± sd:", "",
                  *cv_lines(json.loads(args.cv_report.read_text(encoding="utf-8"))), ""]
    if args.cnn_report:
        cnn = json.loads(args.cnn_report.read_text(encoding="utf-8"))
        lines += [f"spaCy CNN (approach B), fold {cnn['fold']} only, {cnn['training_seconds'] / 60:.1f} min of training "
                  f"({cnn['epochs']} epochs, best {cnn['best_epoch']}):", "",
                  "| subset | " + " | ".join(LABELS) + " | micro |", "| --- |" + " --- |" * (len(LABELS) + 1),
                  *cnn_lines(cnn), ""]
    lines += speed_lines(m)
    if args.notes:
        lines += ["", args.notes.read_text(encoding="utf-8").rstrip()]
    section = "\n".join(lines)
    print(section)
    print(json.dumps(m), file=sys.stderr)
    if args.write:
        write_section(HEADING, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
