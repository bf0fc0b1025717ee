"""The learned kind classifier on organisation names it was not trained on (names invented here)."""

from __future__ import annotations

import pytest

import json

from nlp.kinds import MODEL_PATH, examples_digest, meta_path, predict_kind, training_examples

UNSEEN = {
    "한빛소재": "firm",
    "한울테크놀로지": "firm",
    "완주군": "government",
    "호남지방통계청": "government",
    "진안군의회": "government",
    "전북콘텐츠융합진흥원": "public",
    "전주시설공단": "public",
    "군산대학교": "university",
    "정읍농업인협회": "association",
    "전북매일신문": "media",
}


def test_model_ships_with_the_repo() -> None:
    assert MODEL_PATH.exists()


def test_the_shipped_model_was_trained_on_the_pairs_the_code_builds_now() -> None:
    # Training is deterministic, so a model is reproducible exactly when its training pairs are:
    # a change to the lexicon, the suffix table or the konec forms must come with
    # `python -m nlp.kinds`, or the shipped model answers for data that no longer exists.
    meta = json.loads(meta_path(MODEL_PATH).read_text(encoding="utf-8"))
    examples = training_examples()
    assert (meta["examples"], meta["digest"]) == (len(examples), examples_digest(examples)), \
        "the kind classifier's training pairs changed since it was trained: retrain it with python -m nlp.kinds"


def test_names_are_unseen() -> None:
    seen = dict(training_examples())
    assert not set(UNSEEN) & set(seen)


@pytest.mark.parametrize("name,kind", sorted(UNSEEN.items()))
def test_kind_of_unseen_names(name: str, kind: str) -> None:
    predicted = predict_kind(name)
    assert predicted is not None and predicted[0] == kind
