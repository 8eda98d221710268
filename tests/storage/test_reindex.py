"""The text index follows the analyzer: a store opened by a new analyzer rebuilds it."""

from khabar.ingest.importer import import_files
from khabar.search import search
from khabar.storage.sqlite import SQLiteStore
from realdata import SAMPLE


def test_index_is_rebuilt_when_the_analyzer_changes(tmp_path):
    path = str(tmp_path / "k.db")
    with SQLiteStore(path, analyzer=lambda text: text.split(), analyzer_version="whitespace") as store:
        import_files(store, [SAMPLE])
        before = len(search(store, "الوزير", limit=1000))  # raw tokens: only bare وزير matches
    with SQLiteStore(path) as store:  # the real analyzer: index rebuilt on open
        assert len(search(store, "الوزير", limit=1000)) > before
        first = search(store, "الوزير", limit=1)[0]
        store.add_articles([first.article.article])  # unchanged article: no index corruption
        assert store._rows("PRAGMA integrity_check")[0][0] == "ok"
