"""Arabic page understanding: separate the article from what the page wrapped around it.

A pass over the page's text blocks (paragraphs, in order) driven by the cue
table ``rules/cues.tsv``; no cue phrase appears in this code. What it finds:

* ``related`` cue + a title on the same line → a related link, not a paragraph;
  the cue alone → the next headline and its paragraphs are a read-also article;
* ``source`` cue, a bare agency line ("(رويترز)", "- أ ف ب") or a dateline
  ("أبوظبي - سكاي نيوز عربية", "دمشق، سوريا (CNN) --") → attributions, in order;
* ``tags`` cue → keyword tags (a flattened line is split by :mod:`tagsplit`);
* ``similar`` cue alone → the short lines after it are similar headlines;
* ``boilerplate`` cue → dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib.resources import files
from itertools import islice

from khabar.arabic.normalize import normalize_display, normalize_search
from khabar.arabic.tokenize import iter_tokens, split_sentences
from khabar.ingest.extraction import Extraction, Link
from khabar.ingest.tagsplit import split_tag_line

_BULLET = re.compile(r"^[\s•·▪●◦\-–—*»>]+")
_LEAD_PUNCT = re.compile(r"^[\s:：\-–—|.]+")
_DATELINE = re.compile(
    r"^(?P<place>[^-–—()\n:.]{2,40}?)\s*(?:[-–—]+\s*|\(\s*)(?P<agency>[^-–—()\n:]{2,30}?)\s*(?:\)|[-–—:]|$)"
)
_PAREN = re.compile(r"\(([^()]{2,30})\)")
_TRAILER = re.compile(r"[-–—]\s*([^-–—]{2,30})$")
MAX_HEADLINE_WORDS = 25
MAX_CUE_WORDS = 6  # longest cue phrase, in words
MAX_AGENCY_CHARS = 40
MAX_CUE_LINE_WORDS = 12  # a "source"/"tags" line is short; a body sentence starting "نقلا عن" is not


@lru_cache(maxsize=1)
def cue_table() -> dict[str, list[tuple[str, ...]]]:
    """kind -> cue phrases as search-normalized token tuples, longest first."""
    text = files("khabar.ingest").joinpath("rules/cues.tsv").read_text("utf-8")
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, phrase = line.split("\t")[:2]
        key = tuple(normalize_search(t.text) for t in iter_tokens(phrase))
        if key:
            table.setdefault(kind, []).append(key)
    for phrases in table.values():
        phrases.sort(key=len, reverse=True)
    return table


@lru_cache(maxsize=8192)
def _head(line: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The first few words of a line, search-normalized, with their end offsets.

    Empty when the line does not start with a word (quotes and bullets allowed)."""
    tokens = list(islice(iter_tokens(line), MAX_CUE_WORDS))
    if not tokens or _BULLET.sub("", line[: tokens[0].start]).strip("\"'«“ "):
        return (), ()
    return tuple(normalize_search(t.text) for t in tokens), tuple(t.end for t in tokens)


def match_cue(line: str, kind: str) -> str | None:
    """If ``line`` starts with a cue of ``kind``, the text after it (maybe ''), else None."""
    norm, ends = _head(line)
    for phrase in cue_table().get(kind, []) if norm else ():
        if norm[: len(phrase)] == phrase:
            return _LEAD_PUNCT.sub("", line[ends[len(phrase) - 1] :]).strip()
    return None


def is_agency(name: str) -> bool:
    """Is ``name`` (e.g. "أ ف ب", "RT Arabic") in the agency table?"""
    if len(name) > MAX_AGENCY_CHARS:  # cheap exit: most lines are sentences
        return False
    key = tuple(normalize_search(t.text) for t in iter_tokens(name))
    return bool(key) and key in cue_table().get("agency", [])


def _words(text: str) -> int:
    return len(text.split())


def is_headline(line: str) -> bool:
    """Short and not ending like a sentence."""
    return 0 < _words(line) <= MAX_HEADLINE_WORDS and not line.rstrip().endswith((".", "،", ":", "…"))


def _bare_attribution(line: str) -> str | None:
    """ "(رويترز)", "- أ ف ب", "وكالات", "أبوظبي - سكاي نيوز عربية" as a whole line."""
    core = line.strip().strip("()[]-–—. ")
    if is_agency(core):
        return normalize_display(core)
    m = _DATELINE.match(line.strip())
    if m and is_agency(m.group("agency")) and m.end() >= len(line.strip()) - 1:
        return m.group("agency").strip()
    return None


def inline_attributions(paragraph: str, first: bool) -> list[str]:
    """Attributions inside a paragraph: a lead dateline, "(X)" or a trailing "- X"."""
    found = []
    m = _DATELINE.match(paragraph) if first else None
    if m and is_agency(m.group("agency")):
        found.append(m.group("agency").strip())
    edges = (paragraph[:120] if first else "") + " " + paragraph[-60:]
    found += [x.strip() for x in _PAREN.findall(edges) if is_agency(x)]
    t = _TRAILER.search(paragraph.rstrip(" ."))
    if t and is_agency(t.group(1)):
        found.append(t.group(1).strip())
    return found


def infer_headline(lede: str, max_words: int = 16) -> str:
    """A headline from the lede: its first clause (up to the first comma) or first words."""
    sentence = (split_sentences(lede) or [lede])[0]
    clause = re.split(r"[،؛:]", sentence)[0]
    words = (clause if _words(clause) >= 4 else sentence).split()[:max_words]
    return " ".join(words).rstrip(".،؛:!؟?")


class _Pass:
    """State machine over blocks; see module doc."""

    def __init__(self, known_tags: Collection[str]):
        self.known_tags = known_tags
        self.main = Extraction()
        self.current = self.main
        self.mode = "body"  # body | read_also | similar | tags

    def feed(self, block: str, following: str | None) -> None:
        line = normalize_display(block).strip()
        if not line or self._cue(line, following):
            return
        if self.mode == "similar" and is_headline(line):
            self.main.similar_headlines.append(_BULLET.sub("", line).strip())
        elif self.mode == "tags" and is_headline(line):
            self.main.tags += split_tag_line(line, self.known_tags)
        elif self.mode == "read_also" and not self.current.title and is_headline(line):
            if following and not is_headline(following):
                self.current.title = line
            else:
                self.main.related_links.append(Link(_BULLET.sub("", line).strip()))
        else:
            if self.mode in ("similar", "tags"):
                self.mode = "body"
            first = not self.current.paragraphs or (
                len(self.current.paragraphs) == 1 and is_headline(self.current.paragraphs[0])
            )
            self.current.attributions += inline_attributions(line, first)
            self.current.paragraphs.append(line)

    def _cue(self, line: str, following: str | None) -> bool:
        """Handle a cue line; True when it was one."""
        if match_cue(line, "boilerplate") is not None:
            return True
        rest = match_cue(line, "similar")
        if rest == "" or (rest and self.mode == "similar"):
            self.mode = "similar"
            return True
        short = _words(line) <= MAX_CUE_LINE_WORDS
        if (rest := match_cue(line, "source")) and short:
            self.current.attributions.append(rest)
            return True
        if (agency := _bare_attribution(line)) is not None:
            self.current.attributions.append(agency)
            return True
        if (rest := match_cue(line, "tags")) is not None:
            self.main.tags += split_tag_line(rest, self.known_tags) if rest else []
            self.mode = "body" if rest else "tags"
            return True
        rest = match_cue(line, "related")
        if rest:
            self.main.related_links.append(Link(rest))
            return True
        if rest == "":
            self.current = Extraction()
            self.main.read_also.append(self.current)
            self.mode = "read_also"
            return True
        return False


def understand(blocks: Sequence[str], known_tags: Collection[str] = (), title: str = "") -> Extraction:
    """Split page blocks into article, attributions, tags, links, headlines and read-also articles.

    Without a ``title`` (plain text), a short first block that does not end like
    a sentence is the title; otherwise a headline is inferred from the lede.
    """
    blocks = [b for b in blocks if b.strip()]
    p = _Pass(known_tags)
    for i, block in enumerate(blocks):
        p.feed(block, blocks[i + 1] if i + 1 < len(blocks) else None)
    out = p.main
    out.read_also = [a for a in out.read_also if a.paragraphs]
    for article in [out, *out.read_also]:
        _finish(article, title if article is out else "")
    return out


def _finish(article: Extraction, title: str) -> None:
    """Title (given, first short block, or inferred); attributions deduplicated in order."""
    paras = article.paragraphs
    if title:
        article.title = title
        if paras and normalize_search(paras[0]) == normalize_search(title):
            paras.pop(0)
    elif not article.title and len(paras) > 1 and is_headline(paras[0]):
        article.title = paras.pop(0)
    if not article.title and paras:
        article.title, article.title_inferred = infer_headline(paras[0]), True
    seen: set[str] = set()
    ordered = []
    for a in article.attributions:
        if normalize_search(a) not in seen:
            seen.add(normalize_search(a))
            ordered.append(a)
    article.attributions = ordered
