"""A spaCy dependency parser for Korean eojeols, trained on UD Korean-Kaist with Kiwi features.

`nlp.depparse.model.parse_eojeols` is the run-time entry; `python -m nlp.depparse.train` makes
the model in data/models/depparse/ from configs/depparse.cfg.
"""
