"""Korean NLP stage: Kiwi morphology, organisations and achievements."""
