"""Named entities and parses: the NLP port, its stanza and fallback backends, and language identification."""
