"""Section classifier: shipped model, no network, real held-out ANT articles and the seed page."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from khabar.enrich import sections
from khabar.enrich.train_sections import is_test, read_ant
from khabar.model import Article
from khabar.sections import SECTIONS
from realdata import ANT, SHARED

SEED = SHARED / "seed" / "aggregator-page.txt"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_model_loads_from_package_without_network(no_network: None) -> None:
    model = sections.SectionModel.load()  # the file inside the installed package
    assert sorted(model.classes) == sorted(SECTIONS)
    article = Article(url="x", title="الأهلي يفوز على الزمالك في الدوري", paragraphs=["سجل اللاعب هدفين في المباراة"])
    assert model.predict([article]) == ["sport"]


def test_empty_article_gets_a_valid_section() -> None:
    assert sections.classify(Article(url="empty")) in SECTIONS


@pytest.mark.skipif(not ANT.exists(), reason="needs ../shared/data/ant_multisource")
def test_held_out_ant_articles() -> None:
    # the first 40 articles of each section in the fixed test split (never seen in training)
    held_out: list[Article] = []
    for article in (a for a in read_ant(ANT) if is_test(a)):
        if sum(a.section == article.section for a in held_out) < 40:
            held_out.append(article)
        if len(held_out) == 40 * len(SECTIONS):
            break
    predicted = sections.classify_many(held_out)
    accuracy = sum(p == a.section for p, a in zip(predicted, held_out, strict=True)) / len(held_out)
    assert accuracy >= 0.8
    sport = [p for p, a in zip(predicted, held_out, strict=True) if a.section == "sport"]
    assert sport.count("sport") / len(sport) >= 0.9


def _seed_articles() -> tuple[Article, Article]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    niger = [line for line in lines[:17] if line.strip()]
    start, end = lines.index("إقرأ أيضاً:"), lines.index("مقالات مشابهة")
    libya = [line for line in lines[start + 1 : end] if line.strip()]
    return (Article(url="seed:niger", paragraphs=niger, source="RT Arabic"),
            Article(url="seed:libya", title=libya[0], paragraphs=libya[1:]))


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed")
def test_seed_page_articles() -> None:
    niger, libya = _seed_articles()
    assert sections.classify(niger) in {"international", "middle_east"}
    assert sections.classify(libya) == "economy"


def test_outlet_bias_only_for_known_outlets() -> None:
    model = sections.SectionModel.load()
    assert model.outlet_bias.shape == (len(model.outlets), len(model.classes))
    known = Article(url="a", title="مباراة", source=next(iter(model.outlets)))
    unknown = Article(url="b", title="مباراة", source="RT Arabic")
    bias = model._bias([known, unknown])
    assert bias[1].tolist() == [0.0] * len(model.classes)
    assert bias[0].tolist() == model.outlet_bias[model.outlets[known.source]].tolist()
    assert any(bias[0])  # a trained outlet has a section mix of its own


def _held_out(n: int) -> list[Article]:
    out = []
    for article in read_ant(ANT):
        if is_test(article):
            out.append(article)
            if len(out) == n:
                break
    return out


@pytest.mark.skipif(not ANT.exists(), reason="needs ../shared/data/ant_multisource")
def test_scores_match_the_full_term_vector() -> None:
    # Inference reaches "outlet|term" columns through the plain term's id instead of building
    # those strings; rebuild each article's whole sublinear TF-IDF vector from article_terms and
    # the model file directly and check both paths give the same scores.
    from collections import Counter
    from importlib import resources

    from khabar.enrich.section_features import article_terms

    model = sections.SectionModel.load()
    with resources.files("khabar.enrich").joinpath(sections.MODEL_FILE).open("rb") as fh, np.load(fh) as z:
        vocab = {t: i for i, t in enumerate(str(z["vocab"]).split("\n"))}
        idf, coef = z["idf"].astype(np.float64), z["coef"].astype(np.float64)
    articles = _held_out(60)
    assert sum(any("|" in t for t in article_terms(a)) for a in articles) == len(articles)
    first = np.zeros((len(articles), len(model.classes)))
    for r, article in enumerate(articles):
        counts = {vocab[t]: n for t, n in Counter(article_terms(article)).items() if t in vocab}
        ids = np.array(list(counts))
        vec = (1 + np.log(np.array(list(counts.values()), dtype=np.float64))) * idf[ids]
        first[r] = coef[:, ids] @ (vec / np.linalg.norm(vec)) + model.intercept
    first += model._bias(articles)
    rows = model._rows(articles)
    expected = np.einsum("nij,nj->ni", model.stack_weights[rows], first) + model.stack_bias[rows]
    assert np.abs(expected - model.scores_many(articles)).max() < 1e-3


def test_second_stage_has_a_row_per_outlet_and_a_default() -> None:
    model = sections.SectionModel.load()
    k = len(model.classes)
    assert model.stack_weights.shape == (len(model.outlets) + 1, k, k)
    assert model.stack_bias.shape == (len(model.outlets) + 1, k)
    # outlets differ from one another in how they weigh the same first-stage scores
    assert not np.allclose(model.stack_weights[0], model.stack_weights[1])
    unknown = Article(url="b", title="مباراة", source="RT Arabic")
    assert model._rows([unknown]).tolist() == [len(model.outlets)]


@pytest.mark.skipif(not ANT.exists(), reason="needs ../shared/data/ant_multisource")
def test_imported_articles_are_read_as_in_training() -> None:
    # the importer cleans articles, which fills the lead from the first paragraph; training reads
    # raw corpus records (no lead), so the first paragraph must not count twice after import
    from khabar.enrich.section_features import article_terms

    raw = _held_out(30)
    cleaned = [a.cleaned() for a in raw]
    assert all(c.lead and c.lead == c.paragraphs[0] for c in cleaned)
    assert [article_terms(c) for c in cleaned] == [article_terms(a) for a in raw]


def test_by_article_counts_a_url_filed_under_two_sections_once() -> None:
    """ANT files some URLs twice, the same text under two sections: naming either one is right."""
    from itertools import islice

    from khabar.enrich.train_sections import by_article

    rows = list(islice(read_ant(ANT), 3000))
    seen: dict[str, set[str]] = {}
    for a in rows:
        seen.setdefault(a.url, set()).add(a.section)
    twice = {url for url, labels in seen.items() if len(labels) > 1}
    assert twice, "the first 3000 ANT rows hold URLs filed under two sections"
    first = {url: min(labels) for url, labels in seen.items()}
    pred = [first[a.url] for a in rows]  # one guess per URL: the rows of a twice-filed URL cannot all be right
    assert sum(p == a.section for p, a in zip(pred, rows, strict=True)) < len(rows)
    score = by_article(rows, pred)
    assert (score["articles"], score["filed_twice"], score["accuracy"]) == (len(seen), len(twice), 1.0)
    wrong = by_article(rows, ["sport" if a.url in twice and "sport" not in seen[a.url] else p
                              for p, a in zip(pred, rows, strict=True)])
    assert wrong["accuracy"] == pytest.approx(1 - sum("sport" not in seen[u] for u in twice) / len(seen))
