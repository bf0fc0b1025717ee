"""The `eval` command group with `ner`; newsmine/cli.py adds it with `cli.add_command(eval_group)`."""

from __future__ import annotations

import json

import click

from nlp.ner.scoring import LABELS


@click.group(name="eval")
def eval_group() -> None:
    """Measure components against gold files."""


@eval_group.command(name="ner")
@click.option("--gold", "gold_path", required=True, metavar="PATH",
              help='JSONL, one {"text", "entities": [[start, end, label], …]} per line (KLUE-NER format).')
@click.option("--json", "as_json", is_flag=True, help='Print {"labels": {…}, "micro": {…}} as JSON.')
@click.option("--model", "model_dir", default=None, metavar="DIR", help="A model directory other than the shipped one.")
def eval_ner(gold_path: str, as_json: bool, model_dir: str | None) -> None:
    """Entity-level exact-span precision, recall and F1 per label and micro-averaged."""
    from nlp.ner.evaluate import evaluate_ner, shipped_predict

    result = evaluate_ner(gold_path, shipped_predict(model_dir) if model_dir else None)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"{'label':<6} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}")
    rows = [(lab, result["labels"][lab]) for lab in LABELS if lab in result["labels"]]
    rows += [(lab, m) for lab, m in result["labels"].items() if lab not in LABELS]
    for label, m in [*rows, ("micro", result["micro"])]:
        click.echo(f"{label:<6} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f} {m['support']:>8}")
