"""Extraction: from a source to a frozen ``Article``, the first stage of a rebuild.

Reading turns a source into ``RawArticle``s: files and folders (read.py),
web pages, feeds and sitemaps fetched politely (fetch.py, listing.py,
ingest.py), WARC archives (warc.py), as listed by a sources file
(sourcefile.py). Cleaning turns each into an ``Article``: the main content of
an HTML page (html.py, locate.py), its metadata (metadata.py), then the
boilerplate removed paragraph by paragraph (clean.py with consent.py,
promo.py, neardup.py), non-articles turned away (triage.py). Every phrase,
pattern and threshold these stages apply is data: in rules.py for text, in
page_rules.py for HTML pages.
"""
