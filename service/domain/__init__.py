"""Pure domain logic: standard library (and numpy) only; no faust, stanza or prometheus."""
