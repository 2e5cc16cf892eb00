"""newswire: cleans, deduplicates and enriches a live news wire on Kafka."""

__version__ = "0.1.0"
