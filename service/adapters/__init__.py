"""Adapters: the outside world (NLP models, language id, broker, metrics) behind small interfaces."""
