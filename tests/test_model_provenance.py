"""Each shipped model was trained on what its training command would read today.

The firm model (tests/test_firm_model.py, a fingerprint) and the name-kind classifier
(tests/test_kinds.py, a digest of its pairs) have their own guards. Here the rest:

- the achievement classifier: a digest of its training examples, rebuilt (seconds) — they move
  with the sentence set and with the organisation finder that names the firms it masks;
- the CRF NER and the dependency parser: the files and the config they were trained from
  (retraining them takes minutes; their features read Kiwi and the frozen gazetteer beside the
  model, so their inputs are what can drift).

A failure names the command to run.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import joblib

from conftest import REPO


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_achievement_classifier_was_trained_on_the_examples_the_code_builds_now() -> None:
    from nlp.achievement_model import examples_digest, load_config, training_examples

    config = load_config(REPO / "configs" / "achievements.toml")
    bundle = joblib.load(REPO / config["output"]["model"])
    retrain = "retrain: python -m nlp.achievement_model train --config configs/achievements.toml"
    assert bundle.get("examples_digest"), f"the shipped achievement classifier records no digest; {retrain}"
    assert bundle["training_sha256"] == _sha256(REPO / config["data"]["sentences"]), \
        f"the training sentences changed since the achievement classifier was trained; {retrain}"
    assert bundle["examples_digest"] == examples_digest(training_examples(config)), \
        f"the achievement classifier's training examples changed (sentences, organisations or Kiwi); {retrain}"


def test_the_ner_crf_was_trained_on_the_data_and_config_of_today() -> None:
    meta = json.loads((REPO / "data" / "models" / "ner-crf" / "meta.json").read_text(encoding="utf-8"))
    with (REPO / "configs" / "ner.toml").open("rb") as handle:
        config = tomllib.load(handle)
    retrain = "retrain: python -m nlp.ner.train --config configs/ner.toml"
    assert meta["trained_on"]["sha256"] == _sha256(REPO / config["data"]["gold"]), \
        f"the NER training file changed; {retrain}"
    assert {k: v for k, v in meta["config"].items() if k != "output"} == \
        {k: v for k, v in config.items() if k != "output"}, f"configs/ner.toml changed; {retrain}"


def test_the_dependency_parser_was_trained_on_the_treebank_and_config_of_today() -> None:
    meta = json.loads((REPO / "data" / "models" / "depparse" / "meta.json").read_text(encoding="utf-8"))
    recorded = meta["newsmine"]
    retrain = "retrain: python -m nlp.depparse.train --config configs/depparse.cfg"
    assert recorded["config_sha256"] == _sha256(REPO / recorded["config"]), f"{recorded['config']} changed; {retrain}"
    for path, digest in recorded["treebank_sha256"].items():
        assert digest == _sha256(REPO / path), f"{path} changed; {retrain}"
