"""The enrichment pipeline with deterministic fake models."""

from dataclasses import dataclass, replace

from khabar.enrich.pipeline import Enricher
from khabar.model import Article

ARTICLE = Article(
    url="https://example.org/a",
    title="ليبيا وتركيا تبحثان تعزيز التعاون في مجال الطاقة",
    paragraphs=["وبحث الجانبان سبل تعزيز التعاون الثنائي بين ليبيا وتركيا في قطاع الطاقة."],
    tags=["وتركيا", "أخبار ليبيا"],
)


@dataclass
class Ent:
    text: str
    type: str
    start: int = 0
    end: int = 0


def fake_tagger(article, entities=None):
    return ["قطاع الطاقة", "لليبيا", "تركيا"]


def test_enrich_sets_section_and_merges_canonical_tags():
    enricher = Enricher(lambda a: "economy", lambda t: [Ent("خليفة رجب", "PERS"), Ent("العربية", "MISC")],
                        fake_tagger, defaults=False)
    out = enricher.enrich(ARTICLE)
    assert out.section == "economy"
    assert out.tags == ["تركيا", "أخبار ليبيا", "قطاع الطاقة", "ليبيا", "خليفة رجب"]
    assert out.url == ARTICLE.url and out.paragraphs == ARTICLE.paragraphs


def test_source_section_is_kept():
    enricher = Enricher(lambda a: "sport", None, fake_tagger, defaults=False)
    assert enricher.enrich(Article(url="u", paragraphs=["نص"], section="economy")).section == "economy"


def test_failing_steps_do_not_lose_the_article(caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("model exploded")

    out = Enricher(boom, boom, boom, defaults=False).enrich(ARTICLE)
    assert out.url == ARTICLE.url and out.title == ARTICLE.title
    assert out.tags == ["تركيا", "أخبار ليبيا"]  # source tags survive, canonicalized
    assert "model exploded" in caplog.text


def test_analyze_record():
    enricher = Enricher(lambda a: "economy", lambda t: [Ent("ليبيا", "LOC")], fake_tagger, defaults=False)
    record = enricher.analyze(ARTICLE)
    assert list(record) == ["url", "section", "tags", "entities"]
    assert record["entities"] == [{"text": "ليبيا", "type": "LOC"}]


def test_default_tagger_runs_without_other_models():
    out = Enricher(classifier=lambda a: "", entities=lambda t: [], defaults=True).enrich(ARTICLE)
    assert "ليبيا" in out.tags and "تركيا" in out.tags


def test_enrich_keeps_entities_once_per_key_and_type():
    found = [Ent("ليبيا", "LOC"), Ent("لليبيا", "LOC"), Ent("تركيا", "LOC"), Ent("العربية", "MISC"),
             Ent("ليبيا", "ORG")]
    out = Enricher(lambda a: "", lambda t: found, fake_tagger, defaults=False).enrich(ARTICLE)
    assert [(e.text, e.type) for e in out.entities] == [
        ("ليبيا", "LOC"), ("تركيا", "LOC"), ("العربية", "MISC"), ("ليبيا", "ORG")
    ]
    assert "العربية" not in out.tags  # MISC is stored as an entity but is no tag


def test_missing_entity_step_keeps_what_the_article_had():
    from khabar.model import NamedEntity

    given = replace(ARTICLE, entities=[NamedEntity("ليبيا", "LOC")])
    out = Enricher(lambda a: "", None, fake_tagger, defaults=False).enrich(given)
    assert out.entities == given.entities
