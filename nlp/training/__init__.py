"""Training and evaluation code for the NLP stage's learned parts (not imported at run time)."""
