"""Section classifier: shipped model, no network, real held-out ANT articles and the seed page."""

from __future__ import annotations

import socket

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
