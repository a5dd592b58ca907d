"""Lede's indexer: read sources, clean them into Articles, and build index generations.

Stages, one module each: read.py → clean.py → document.py → build.py, with
the schema in schema.py and the live/previous generations in generations.py.
"""
