"""``khabar show --json`` carries the stored entities; ``khabar search --entity`` filters by them.

Real sample articles in a real SQLite store, the installed ``khabar`` command. The entities are
names that occur in the article's own text (what the NER model finds there when installed).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cli_run import khabar
from khabar.ingest.importer import import_files
from khabar.model import NamedEntity
from khabar.storage import UPDATED, open_store
from realdata import SAMPLE

URL = "http://www.bbc.co.uk/arabic/world-44049490"  # Pompeo's visit to North Korea
ENTITIES = [NamedEntity("مايك بومبيو", "PERS"), NamedEntity("كوريا الشمالية", "LOC"),
            NamedEntity("بيونغ يانغ", "LOC"), NamedEntity("دونالد ترامب", "PERS")]
OLD_KEYS = {"url", "title", "source", "published_at", "section", "lead", "id", "canonical_url", "title_inferred",
            "paragraphs", "author", "image", "language", "attributions", "tags", "fetched_at", "story_id",
            "copy_of", "copies"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("show") / "k.db"
    with open_store(str(path)) as store:
        import_files(store, [SAMPLE])
        article = store.get_article(URL).article
        assert all(e.text in article.body for e in ENTITIES)
        assert store.add_articles([replace(article, entities=ENTITIES)]) == [UPDATED]
    return path


def test_show_json_has_entities_and_every_earlier_key(db: Path) -> None:
    done = khabar(db, "show", URL, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data.keys() >= OLD_KEYS
    assert data["entities"] == [{"text": e.text, "type": e.type} for e in ENTITIES]


def test_search_entity_filter(db: Path) -> None:
    plain = json.loads(khabar(db, "search", "كوريا", "--json", "--limit", "50").stdout)
    assert len(plain) > 1 and URL in [h["url"] for h in plain]
    for name in ("بيونغ يانغ", "كوريا الشمالية", "لكوريا الشمالية"):  # a clitic does not change the entity
        done = khabar(db, "search", "كوريا", "--entity", name, "--json", "--limit", "50")
        assert done.returncode == 0, done.stderr
        assert [h["url"] for h in json.loads(done.stdout)] == [URL]
    none = khabar(db, "search", "كوريا", "--entity", "فرنسا", "--json")
    assert json.loads(none.stdout) == []


def test_show_prints_entities_grouped_by_type(db: Path) -> None:
    done = khabar(db, "show", URL)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    head = lines.index("أسماء في الخبر:")
    groups = [line.strip() for line in lines[head + 1 :] if line.strip()]
    assert groups == ["أشخاص (PERS): مايك بومبيو · دونالد ترامب", "أماكن (LOC): كوريا الشمالية · بيونغ يانغ"]


def test_show_prints_the_entity_block_after_the_tags_and_only_when_there_are_entities(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with open_store(str(path)) as store:
        import_files(store, [SAMPLE])
        article = replace(store.get_article(URL).article, tags=["كوريا الشمالية", "مايك بومبيو"])
        assert article.entities == [] and store.add_articles([article]) == [UPDATED]
        bare = khabar(path, "show", URL)
        assert store.add_articles([replace(article, entities=ENTITIES[::-1])]) == [UPDATED]
    assert bare.returncode == 0 and "كلمات دلالية: كوريا الشمالية · مايك بومبيو" in bare.stdout.splitlines()
    assert "أسماء في الخبر" not in bare.stdout
    lines = khabar(path, "show", URL).stdout.splitlines()
    tags, head = lines.index("كلمات دلالية: كوريا الشمالية · مايك بومبيو"), lines.index("أسماء في الخبر:")
    assert head > tags  # like the article page: tags, then names; people first, names in stored order
    assert [x.strip() for x in lines[head + 1 :]] == ["أشخاص (PERS): دونالد ترامب · مايك بومبيو",
                                                       "أماكن (LOC): بيونغ يانغ · كوريا الشمالية"]
