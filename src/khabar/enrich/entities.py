"""Named entities (PERS, LOC, ORG, MISC) with a CRF trained on ANERcorp.

Licence: ANERcorp and its gazetteers were released "for research purposes" and
the project's data policy forbids shipping them, so a model derived from them
(its weights name thousands of corpus words) is NOT shipped in the package.
It is trained locally by ``khabar train ner`` -- or automatically on first use
when ``../shared/data/anercorp`` (or ``/work/shared/data/anercorp``) is there --
into ``$KHABAR_NER_MODEL`` or ``~/.cache/khabar/ner``. A model placed in the
package directory ``models/ner/`` is used first, should the licence allow it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from khabar.arabic import iter_tokens
from khabar.enrich.ner_consistency import propagate
from khabar.enrich.ner_decode import BiasedDecoder, load_bias
from khabar.enrich.ner_features import Resources
from khabar.enrich.ner_stack import STAGE2_FILE, both_stages, tag_document

SHARED_ROOTS = (Path("../shared/data"), Path("/work/shared/data"))


@dataclass(frozen=True)
class Entity:
    """An entity mention: its text, type and character span in the original text."""

    text: str
    type: str
    start: int
    end: int


def model_dir() -> Path:
    """Where the NER model is looked for (the first that holds ``model.crfsuite``)."""
    packaged = Path(str(resources.files("khabar.enrich").joinpath("models/ner")))
    if (packaged / "model.crfsuite").exists():
        return packaged
    if os.environ.get("KHABAR_NER_MODEL"):
        return Path(os.environ["KHABAR_NER_MODEL"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "khabar" / "ner"


def shared_file(relative: str) -> Path | None:
    """``relative`` under ../shared/data or /work/shared/data, if present."""
    for root in SHARED_ROOTS:
        if (root / relative).exists():
            return root / relative
    return None


class NERModelMissing(FileNotFoundError):
    """No trained NER model is installed (it cannot be shipped: ANERcorp is research-only)."""


def _missing(target: Path) -> NERModelMissing:
    # Training takes minutes, so it is never started behind a user's back.
    return NERModelMissing(
        f"no NER model at {target}: run `khabar train ner` once (it needs ANERcorp's train.txt, "
        "e.g. ../shared/data/anercorp/train.txt; the model is not shipped because ANERcorp is "
        "licensed for research only)"
    )


class Tagger:
    """A loaded CRF, the look-up tables its features need and its decoding bias (``decode.json``,
    chosen on validation data; without one the CRF is decoded as crfsuite does). When the model
    directory also holds a second-stage CRF (:mod:`khabar.enrich.ner_stack`), documents are tagged
    by both stages and the bias applies to the second."""

    def __init__(self, directory: Path) -> None:
        from khabar.enrich.train_ner import load_decoder, load_resources

        self.resources: Resources = load_resources(directory)
        second = directory / STAGE2_FILE
        # our own Viterbi over the CRF's weights: it adds the bias, and per-word scores make it faster
        self.second: BiasedDecoder | None = None
        if second.exists():
            self.first = load_decoder(directory / "model.crfsuite")
            self.second = load_decoder(second, load_bias(directory))
        else:
            self.first = load_decoder(directory / "model.crfsuite", load_bias(directory))

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO labels of one sentence's tokens before document consistency: the CRF alone, or both
        stages with the sentence as the document."""
        if self.second is not None:
            return both_stages(self.first, self.second, [list(tokens)], self.resources)[0]
        return self.first.tag_tokens(list(tokens), self.resources)

    def tag_document(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO labels of a document's sentences, made consistent across the document."""
        if self.second is not None:
            return tag_document(self.first, self.second, sentences, self.resources)
        return propagate(sentences, [self.first.tag_tokens(tokens, self.resources) for tokens in sentences])


_tagger: Tagger | None = None


def tagger() -> Tagger:
    """The tagger, loaded once; :class:`NERModelMissing` until ``khabar train ner`` has run."""
    global _tagger
    if _tagger is None:
        directory = model_dir()
        if not (directory / "model.crfsuite").exists():
            raise _missing(directory)
        _tagger = Tagger(directory)
    return _tagger


def tag_tokens(tokens: list[str]) -> list[str]:
    """BIO labels (``B-PERS``, ``I-LOC``, ``O`` …), one per token, the tokens taken as one sentence."""
    return tag_sentences([list(tokens)])[0]


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    """BIO labels of the sentences of one document (an article): a name found in one sentence is
    also tagged where it recurs untagged (see :mod:`khabar.enrich.ner_consistency`)."""
    return tagger().tag_document([list(s) for s in sentences])


def _sentences(text: str) -> list[list]:
    """Tokens of ``text`` grouped into sentences."""
    tokens = list(iter_tokens(text))
    out: list[list] = []
    sentence: list = []
    for i, tok in enumerate(tokens):
        sentence.append(tok)
        nxt = tokens[i + 1].start if i + 1 < len(tokens) else len(text)
        # a sentence ends at . ! ? ؟ or a line break between this token and the next
        if i + 1 == len(tokens) or any(ch in ".!?؟\n" for ch in text[tok.end:nxt]):
            out.append(sentence)
            sentence = []
    return out


def extract_entities(text: str) -> list[Entity]:
    """Entities of a text (one document), with spans into ``text``."""
    sentences = _sentences(text)
    labels = tag_sentences([[t.text for t in s] for s in sentences])
    out: list[Entity] = []
    for toks, tags in zip(sentences, labels, strict=True):
        out.extend(_merge(text, toks, tags))
    return out


def _merge(text: str, toks: list, labels: list[str]) -> list[Entity]:
    """Join BIO runs into entities; an I- that does not continue a run starts one."""
    spans: list[list] = []
    for tok, label in zip(toks, labels, strict=True):
        prefix, _, kind = label.partition("-")
        if prefix == "I" and spans and spans[-1][0] == kind and spans[-1][3] == "open":
            spans[-1][2] = tok.end
            continue
        if prefix in ("B", "I"):
            spans.append([kind, tok.start, tok.end, "open"])
        if spans:
            spans[-1][3] = "open" if prefix in ("B", "I") else "closed"
    return [Entity(text[s:e], kind, s, e) for kind, s, e, _ in spans]
