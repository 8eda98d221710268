"""The enrichment pipeline: section, entities and keyword tags for an article.

Each step wraps an injected model so tests can use deterministic fakes; the
defaults load Khabar's own models lazily (``khabar.enrich.sections``,
``khabar.enrich.entities``, :mod:`khabar.enrich.keyphrases`). A step that is
missing or fails is logged once as a warning and skipped: enrichment never
loses an article.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from khabar.enrich.canonical import canonical_tag, tag_key
from khabar.enrich.person_names import short_forms
from khabar.model import Article, NamedEntity

log = logging.getLogger(__name__)
MAX_TAGS = 12
# Entity types worth a tag page; MISC (nationalities, events) is too noisy.
TAG_ENTITY_TYPES = frozenset({"PERS", "LOC", "ORG"})


@dataclass
class Enrichment:
    """What the steps found for one article."""

    section: str = ""
    entities: list[dict[str, Any]] | None = None
    tags: list[str] | None = None


def _default_classifier() -> Callable[[Article], str] | None:
    from khabar.enrich.sections import classify

    return classify


def _default_entities() -> Callable[[str], list] | None:
    from khabar.enrich.entities import extract_entities, tagger

    tagger()  # a missing model disables the step now (one warning) rather than failing on every article
    return extract_entities


def _default_tagger() -> Callable[..., list[str]]:
    from khabar.enrich.keyphrases import extract_tags

    return extract_tags


class Step:
    """A named, failure-tolerant call to a model loaded on first use."""

    def __init__(self, name: str, model: Callable | None = None, loader: Callable[[], Callable] | None = None):
        self.name, self._model, self._loader, self._warned = name, model, loader, False

    def _warn(self, exc: BaseException) -> None:
        if not self._warned:
            log.warning("enrichment step %s unavailable: %s", self.name, exc)
            self._warned = True

    @property
    def model(self) -> Callable | None:
        if self._model is None and self._loader is not None:
            try:
                self._model = self._loader()
            except Exception as exc:  # a missing optional model only disables its step
                self._warn(exc)
            self._loader = None
        return self._model

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The model's result, or None when the step is missing or failed."""
        model = self.model
        if model is None:
            return None
        try:
            return model(*args, **kwargs)
        except Exception as exc:  # never lose an article to a model error
            if self._warned:
                log.debug("enrichment step %s failed: %s", self.name, exc)
            else:
                log.warning("enrichment step %s failed (further failures logged at debug): %s", self.name, exc)
                self._warned = True
            return None


def _entity_dict(entity: Any) -> dict[str, Any]:
    if isinstance(entity, dict):
        return {"text": entity["text"], "type": entity.get("type", "")}
    return {"text": entity.text, "type": getattr(entity, "type", "")}


def merge_tags(*groups: Sequence[str], limit: int = MAX_TAGS) -> list[str]:
    """Canonical tags, de-duplicated by store key, in order of the groups (first wins)."""
    out: dict[str, str] = {}
    for group in groups:
        for tag in group:
            key = tag_key(tag)
            if key and key not in out and len(out) < limit:
                out[key] = canonical_tag(tag)
    return list(out.values())


def stored_entities(entities: Sequence[dict[str, Any]] | None) -> list[NamedEntity]:
    """Entities as the store keeps them: canonical display text, one per (tag key, type), in order."""
    out: dict[tuple[str, str], NamedEntity] = {}
    for e in entities or ():
        key = tag_key(e["text"])
        if key and e["type"] and (key, e["type"]) not in out:
            out[key, e["type"]] = NamedEntity(canonical_tag(e["text"]), e["type"])
    return list(out.values())


def fold_short_names(entities: list[dict[str, Any]] | None) -> tuple[list[dict[str, Any]] | None, dict[str, str]]:
    """Entities without the person short forms that stand for a full name also found
    (:mod:`~khabar.enrich.person_names`), and those forms (tag key -> full name)."""
    if not entities:
        return entities, {}
    short = short_forms(e["text"] for e in entities if e["type"] == "PERS")
    kept = [e for e in entities if e["type"] != "PERS" or tag_key(e["text"]) not in short]
    return kept, short


class Enricher:
    """Compose section classification, entity extraction and keyword tags."""

    def __init__(self, classifier: Callable | None = None, entities: Callable | None = None,
                 tagger: Callable | None = None, defaults: bool = True):
        self.classifier = Step("sections", classifier, _default_classifier if defaults else None)
        self.entities = Step("entities", entities, _default_entities if defaults else None)
        self.tagger = Step("tags", tagger, _default_tagger if defaults else None)

    @property
    def version(self) -> str:
        """The steps that have a model (loads them): part of the import fingerprint, so that a
        re-import after ``khabar train ner`` enriches again what was stored without entities."""
        return "+".join(s.name for s in (self.classifier, self.entities, self.tagger) if s.model is not None)

    def run(self, article: Article) -> Enrichment:
        """Run every available step on an article."""
        text = "\n".join(filter(None, [article.title, article.body or article.lead]))
        found = self.entities(text)
        entities = [_entity_dict(e) for e in found] if found is not None else None
        tags = self.tagger(article, entities=entities)
        section = article.section or self.classifier(article) or ""
        return Enrichment(section=section, entities=entities, tags=tags)

    @staticmethod
    def apply(article: Article, result: Enrichment) -> Article:
        """The article with the section (when empty), merged canonical tags and the entities of a result."""
        found, short = fold_short_names(result.entities)
        names = [e["text"] for e in found or () if e["type"] in TAG_ENTITY_TYPES]
        given, extracted = ([short.get(tag_key(t), t) for t in tags] for tags in (article.tags, result.tags or ()))
        # source tags first (an editor chose them), then extracted tags, then entities
        tags = merge_tags(given, extracted, names)
        entities = stored_entities(found) if found is not None else article.entities
        return replace(article, section=article.section or result.section, tags=tags, entities=entities)

    def enrich(self, article: Article) -> Article:
        """Enrich one article; usable as ``import_files(..., enrich=Enricher())``."""
        return self.apply(article, self.run(article))

    def analyze(self, article: Article) -> dict[str, Any]:
        """The ``khabar analyze --json`` record of an article."""
        result = self.run(article)
        enriched = self.apply(article, result)
        return {
            "url": article.url,
            "section": enriched.section,
            "tags": enriched.tags,
            "entities": [{"text": e.text, "type": e.type} for e in enriched.entities],
        }

    __call__ = enrich  # usable directly as import_files(..., enrich=Enricher())
