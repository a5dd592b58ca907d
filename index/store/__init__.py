"""Storage: from cleaned ``Article``s to a live index generation, the last stage of a rebuild.

build.py runs a rebuild; decide.py decides, without touching processes or
files, whether it is full and what it adds, updates, removes and folds
(against the live generation's inventory, sources.py); workers.py cleans and
analyses in this process or in worker processes, behind one protocol;
document.py turns an Article into a Whoosh document; segment.py (with
blocks.py) writes segments fast and commit.py commits them — the three use
Whoosh 2.7.4's internals; vocabulary.py counts did-you-mean's words;
generations.py makes the new generation live with one rename, after files.py
has written everything durably.
"""
