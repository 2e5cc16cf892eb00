"""Whether an article is a syndicated copy of one already held: fingerprints, the index, the decision and its guards."""
