"""The optional C part: BM25 with caller-given document frequencies for SQLite's FTS5
(src/khabar/storage/_fts5rank.c). It needs SQLite's headers (Debian: libsqlite3-dev); when it
cannot be built, Khabar installs without it and ranks with FTS5's own bm25()."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "khabar.storage._fts5rank",
            sources=["src/khabar/storage/_fts5rank.c"],
            libraries=["sqlite3"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
