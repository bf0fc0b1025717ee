"""Korean NER (PS LC OG DT TI QT, KLUE's tag set): a CRF over Kiwi tokens, its training and evaluation.

- units / features / gazetteer: Kiwi tokens → CRF items
- model: the shipped tagger (data/models/ner-crf), `get_model()`
- train: `python -m nlp.ner.train --config configs/ner.toml [--cv]`
- evaluate / cli: `newsmine eval ner --gold PATH [--json]`
- component: the spaCy factory `newsmine_ner` and `add_ner(nlp)`
- cnn: the spaCy tok2vec+ner comparison (not shipped)
"""
