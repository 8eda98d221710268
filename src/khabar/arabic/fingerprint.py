"""A fingerprint of everything that decides index terms.

Stores record it next to their text index; when normalization, tokenization
or stemming change between versions, the index is rebuilt instead of being
queried (or, worse, updated) with terms it was not built with.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

_PARTS = ("normalize.py", "tokenize.py", "stemmer.py", "terms.py", "data/lexicon.tsv.gz", "data/stems.tsv.gz")


@cache
def analyzer_fingerprint() -> str:
    """Hex digest over the analyzer's code and data files."""
    digest = hashlib.blake2b(digest_size=8)
    root = files("khabar.arabic")
    for part in _PARTS:
        resource = root.joinpath(part)
        digest.update(part.encode())
        if resource.is_file():
            digest.update(resource.read_bytes())
    return digest.hexdigest()
