"""Entities, re-import fingerprints and text versions: the Store contract on every backend.

Articles are real ANT articles; entities are real ANERcorp gold mentions (text and type).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from ant_sample import Sample

from aner_entities import ANER, gold_entities
from khabar.arabic import search_terms
from khabar.model import Filters, NamedEntity, TextQuery
from khabar.storage import IMPORTED, UNCHANGED, UPDATED, Store
from khabar.storage.rows import entity_rows, input_fingerprint, tag_key

pytestmark = pytest.mark.skipif(not ANER.exists(), reason="needs ../shared/data/anercorp")


@pytest.fixture(scope="module")
def gold() -> list[NamedEntity]:
    return gold_entities(60)


def _distinct(entities: list[NamedEntity]) -> list[NamedEntity]:
    return [NamedEntity(text, kind) for _, text, kind in entity_rows(entities)]


def test_entities_round_trip_distinct_and_in_order(store: Store, ant: Sample, gold: list[NamedEntity]) -> None:
    first, second = ant.all[:2]
    with_entities = replace(first, entities=gold[:20])
    assert store.add_articles([with_entities, second]) == [IMPORTED, IMPORTED]
    stored = store.get_article(first.url)
    assert len(gold[:20]) > len(_distinct(gold[:20]))  # the gold text repeats names: the store keeps each once
    assert stored.article.entities == _distinct(gold[:20])
    assert store.get_article(second.url).article.entities == []
    listed = {s.article.url: s.article.entities for s in store.latest(10)}
    assert listed[first.url] == _distinct(gold[:20])


def test_same_entities_unchanged_new_entities_updated(store: Store, ant: Sample, gold: list[NamedEntity]) -> None:
    article = replace(ant.wazir, entities=gold[:10])
    store.add_articles([article])
    assert store.add_articles([replace(article, entities=list(gold[:10]))]) == [UNCHANGED]
    assert store.add_articles([replace(article, entities=gold[10:30])]) == [UPDATED]
    assert store.get_article(article.url).article.entities == _distinct(gold[10:30])
    assert store.add_articles([replace(article, entities=[])]) == [UPDATED]
    assert store.get_article(article.url).article.entities == []


def test_entity_filter_in_listings_counts_and_search(store: Store, ant: Sample, gold: list[NamedEntity]) -> None:
    pers = [e for e in gold if e.type == "PERS"]
    loc = [e for e in gold if e.type == "LOC"]
    a, b, c = ant.all[:3]
    store.add_articles([replace(a, entities=pers[:3]), replace(b, entities=[pers[0], *loc[:2]]), c])
    key = tag_key(pers[0].text)
    assert {s.article.url for s in store.latest(10, filters=Filters(entity=key))} == {a.url, b.url}
    assert store.count_articles(Filters(entity=key)) == 2
    assert store.count_articles(Filters(entity=tag_key(loc[0].text))) == 1
    assert store.count_articles(Filters(entity=tag_key(loc[0].text), source=a.source)) == (b.source == a.source)
    ids = store.ids_for_urls([a.url, b.url, c.url])
    for article in (a, b, c):
        query = TextQuery(terms=tuple(search_terms(article.title)[:2]))
        assert ids[article.url] in [i for i, _ in store.search_ids(query, 10)]
        hits = [i for i, _ in store.search_ids(query, 10, 0, Filters(entity=key))]
        assert (ids[article.url] in hits) == (article is not c)
        assert set(hits) <= {ids[a.url], ids[b.url]}


def test_input_fingerprint_recorded_and_read_back(store: Store, ant: Sample) -> None:
    a, b = ant.all[:2]
    keyed = replace(a, input_hash=input_fingerprint(a, "sections+entities+tags"))
    store.add_articles([keyed, b])
    assert store.input_hashes([a.url, b.url, "https://nowhere.example/x"]) == {a.url: keyed.input_hash, b.url: ""}
    # The same article with a new fingerprint (e.g. a new enrichment version) is unchanged, and keeps it.
    rekeyed = replace(keyed, input_hash=input_fingerprint(a, "sections+tags"))
    assert rekeyed.input_hash != keyed.input_hash
    assert store.add_articles([rekeyed]) == [UNCHANGED]
    assert store.input_hashes([a.url]) == {a.url: rekeyed.input_hash}
    # Without a fingerprint (an import with --no-enrich) the recorded one stays.
    assert store.add_articles([replace(a, input_hash="")]) == [UNCHANGED]
    assert store.input_hashes([a.url]) == {a.url: rekeyed.input_hash}


def test_fingerprint_follows_the_input(ant: Sample) -> None:
    base, other = ant.all[:2]
    same = input_fingerprint(base)
    assert input_fingerprint(replace(base)) == same
    changes = {"title": other.title, "source": other.source + " ", "tags": other.title.split()[:2],
               "author": other.author + base.author + " ", "paragraphs": base.paragraphs[:1],
               "published_at": other.published_at, "section": "culture" if base.section != "culture" else "sport"}
    for field, value in changes.items():
        assert input_fingerprint(replace(base, **{field: value})) != same, field
    assert input_fingerprint(base, "sections+tags") != same
    # what enrichment adds is not part of the input: enriched copies of one input share a fingerprint
    assert input_fingerprint(replace(base, entities=[NamedEntity(other.source, "ORG")])) == same


def test_known_tags_are_tags_some_article_carries(store: Store, ant: Sample) -> None:
    a = replace(ant.all[0], tags=["روسيا", "كأس العالم"])
    store.add_articles([a])
    assert store.known_tags([tag_key("روسيا"), tag_key("الصين"), tag_key("كأس العالم")]) == {
        tag_key("روسيا"),
        tag_key("كأس العالم"),
    }
    store.add_articles([replace(a, tags=["كأس العالم"])])  # روسيا's tag row stays, but no article has it
    assert store.known_tags([tag_key("روسيا"), tag_key("كأس العالم")]) == {tag_key("كأس العالم")}
    assert store.known_tags([]) == set()


def test_text_versions_move_with_title_or_body_only(store: Store, ant: Sample) -> None:
    a, b = ant.all[:2]
    store.add_articles([a, b])
    ids = store.ids_for_urls([a.url, b.url])
    before = store.text_versions()
    assert set(before) == set(ids.values()) and len(set(before.values())) == 2
    assert store.text_versions([ids[a.url]]) == {ids[a.url]: before[ids[a.url]]}
    store.add_articles([replace(a, author=b.author + a.author + " ")])  # metadata only: same text
    assert store.text_versions() == before
    store.add_articles([replace(a, paragraphs=a.paragraphs + b.paragraphs[:1])])
    after = store.text_versions()
    assert after[ids[a.url]] != before[ids[a.url]] and after[ids[b.url]] == before[ids[b.url]]
    store.add_articles([replace(b, title=a.title)])
    assert store.text_versions()[ids[b.url]] != before[ids[b.url]]
    assert store.text_versions([]) == {}
