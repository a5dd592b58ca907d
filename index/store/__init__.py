"""Storage: from cleaned ``Article``s to a live index generation, the last stage of a rebuild.

build.py decides what a rebuild adds, updates, removes and folds (against the
live generation's inventory, sources.py) and runs it; workers.py cleans and
analyses in worker processes; document.py turns an Article into a Whoosh
document; segment.py writes segments fast; vocabulary.py counts did-you-mean's
words; generations.py makes the new generation live with one rename, after
files.py has written everything durably.
"""
