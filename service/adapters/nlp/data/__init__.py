"""Data files for the adapters (a package so setuptools ships its JSON)."""
