"""Who said what: Arabic and English reported-speech rules, shared pieces, and the parse refinement."""
