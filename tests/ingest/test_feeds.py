"""Feed parsing (RSS, Atom, RDF, JSON Feed, sitemaps) on feeds built from real articles,
fetched over loopback, and per-feed errors when polling many feeds at once."""

from __future__ import annotations

import loopback_feeds as lf
import pytest
from loopback import (
    loopback_server,  # noqa: F401 (the `server` fixture)
    policy,
    run,
)

from khabar.ingest.feedpoll import poll_feeds
from khabar.ingest.feeds import FeedError, parse_feed
from khabar.ingest.fetcher import Fetcher

ITEMS = lf.ant_items(20)


async def _fetch_parse(url: str):
    async with Fetcher(policy()) as f:
        res = await f.get(url)
    return parse_feed(res.body, res.final_url, res.content_type)


@pytest.mark.parametrize(
    "path,kind",
    [
        ("/feeds/rss.xml", "rss"),
        ("/feeds/atom.xml", "atom"),
        ("/feeds/rdf.xml", "rdf"),
        ("/feeds/feed.json", "jsonfeed"),
        ("/feeds/news-sitemap.xml", "news-sitemap"),
    ],
)
def test_every_format_yields_the_real_articles(server, path, kind):
    feed = run(_fetch_parse(server.url(path)))
    assert feed.kind == kind and len(feed.entries) == len(ITEMS)
    for entry, item in zip(feed.entries, ITEMS, strict=True):
        assert (entry.url, entry.title, entry.published_at) == (item.url, item.title, item.published)
        assert entry.published_at.utcoffset().total_seconds() == 0


def test_feed_metadata_author_and_summary(server):
    rss = run(_fetch_parse(server.url("/feeds/rss.xml")))
    assert rss.title == "أخبار خبر" and rss.site_url == "http://news.example/"
    with_author = [(e, i) for e, i in zip(rss.entries, ITEMS, strict=True) if i.author]
    assert with_author and all(e.author == i.author for e, i in with_author)
    assert rss.entries[0].guid == ITEMS[0].url and rss.entries[0].summary
    news = run(_fetch_parse(server.url("/feeds/news-sitemap.xml")))
    assert news.title == "العربية"  # the <news:publication><news:name>


def test_plain_sitemap_and_sitemap_index(server):
    plain = run(_fetch_parse(server.url("/feeds/sitemap.xml")))
    assert plain.kind == "sitemap" and [e.url for e in plain.entries] == [i.url for i in ITEMS]
    assert [e.published_at for e in plain.entries] == [i.published for i in ITEMS]  # from <lastmod>
    index = run(_fetch_parse(server.url("/feeds/sitemap-index.xml")))
    assert index.kind == "sitemapindex"
    assert [e.url for e in index.entries] == [server.url("/feeds/sitemap.xml"), server.url("/feeds/news-sitemap.xml")]


def test_malformed_xml_is_a_clear_feed_error():
    with pytest.raises(FeedError, match=r"not a readable feed: .*mismatched tag.*\[http://x/feed\]"):
        parse_feed(lf.MALFORMED, "http://x/feed")


@pytest.mark.parametrize("wrap", ["rss", "sitemap"])
def test_billion_laughs_is_refused_at_once(wrap):
    bomb = lf.billion_laughs()
    if wrap == "sitemap":
        bomb = bomb.replace(b"DOCTYPE rss", b"DOCTYPE urlset").split(b"<rss")[0] + (
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a/&lol9;</loc></url></urlset>'
        )
    with pytest.raises(FeedError, match="entity declaration <!ENTITY lol"):
        parse_feed(bomb, "http://x/bomb")


def test_entities_in_a_broken_prolog_are_refused_too():
    bomb = lf.billion_laughs().replace(b"<?xml", b"junk<?xml", 1)
    with pytest.raises(FeedError, match="entity"):
        parse_feed(bomb, "http://x/bomb")


def test_a_windows_1256_feed_decodes_from_its_xml_declaration():
    utf8 = lf.rss20(ITEMS[:5]).decode("utf-8").replace("encoding='utf-8'", 'encoding="windows-1256"')
    feed = parse_feed(utf8.encode("windows-1256", errors="xmlcharrefreplace"), "http://x/feed")
    assert [e.title for e in feed.entries] == [i.title for i in ITEMS[:5]]


@pytest.mark.parametrize(
    "body,message",
    [
        (b"<html><body><p>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7</p></body></html>", "not a readable feed"),
        (b'{"title": "x", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed JSON feed"),
        (b"", "not a readable feed"),
        (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</url>', "malformed XML"),
    ],
)
def test_non_feeds_are_clear_feed_errors(body, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(body, "http://x/feed")


def test_an_empty_but_valid_feed_is_not_an_error():
    feed = parse_feed(lf.rss20([]), "http://x/feed")
    assert feed.kind == "rss" and feed.entries == []


def test_volume_300_real_saudinewsnet_articles():
    items = lf.saudi_items(300)
    feed = parse_feed(lf.rss20(items), "http://x/feed")
    assert len(feed.entries) == 300 and [e.url for e in feed.entries] == [i.url for i in items]


def test_polling_many_feeds_gives_one_clear_error_per_broken_feed(server):
    good = ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/rdf.xml", "/feeds/feed.json", "/feeds/news-sitemap.xml"]
    bad = {
        "/status/404": "HTTPStatusError: HTTP 404",
        "/status/500": "HTTPStatusError: HTTP 500",
        "/slow": "FetchTimeout: ReadTimeout",
        "/trickle": "FetchTimeout: no complete response within 3s",
        "/huge-chunked": "BodyTooLarge: body exceeds",
        "/feeds/malformed.xml": "FeedError: not a readable feed",
        "/feeds/bomb.xml": "FeedError: XML entity declaration",
        "/loop/a": "TooManyRedirects: redirect loop",
        "/private/feed.xml": "RobotsDisallowed: disallowed by",
        "/retry/429-long": "HTTPStatusError: HTTP 429, Retry-After 3600s",
    }
    paths = list(bad) + good

    async def go():
        async with Fetcher(policy(per_host_concurrency=8)) as f:
            return await poll_feeds(f, [server.url(p) for p in paths])

    polls = run(go())
    for path, poll in zip(paths, polls, strict=True):
        if path in bad:
            assert not poll.ok and poll.error.startswith(bad[path]) and server.url(path) in poll.error, poll.error
        else:
            assert poll.ok and len(poll.feed.entries) == 20, poll.error
    assert polls[paths.index("/retry/429-long")].retry_after == 3600.0


def test_polling_with_validators_reports_not_modified(server):
    async def go():
        async with Fetcher(policy()) as f:
            return await poll_feeds(f, [(server.url("/etag/rss.xml"), '"v1"', None), server.url("/etag/rss.xml")])

    unchanged, fresh = run(go())
    assert unchanged.ok and unchanged.not_modified and unchanged.feed is None
    assert fresh.ok and not fresh.not_modified and len(fresh.feed.entries) == 20
