"""The polite fetcher over real HTTP on 127.0.0.1: every failure mode gets a clear error."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime

import pytest
from loopback import (
    CP1256_PAGE,
    ISO6_PAGE,
    UTF8_PAGE,
    Loopback,
    loopback_server,  # noqa: F401 (the `server` fixture)
    policy,
    run,
)

from khabar.ingest.fetcher import (
    BlockedAddress,
    BodyTooLarge,
    ConnectionFailed,
    Fetcher,
    FetchPolicy,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedURL,
    parse_retry_after,
)
from khabar.settings import load_settings


async def _get(url: str, pol: FetchPolicy | None = None, **kw):
    async with Fetcher(pol or policy()) as f:
        return await f.get(url, **kw)


def fetch(url: str, pol: FetchPolicy | None = None, **kw):
    return run(_get(url, pol, **kw))


def test_fetches_a_real_feed_with_the_configured_user_agent(server):
    res = fetch(server.url("/feeds/rss.xml"))
    assert res.status == 200 and not res.not_modified
    assert "أخبار خبر" in res.text
    agents = {h.get("User-Agent") for p, h in server.hits if p == "/feeds/rss.xml"}
    assert agents == {"KhabarTest/1.0"}


@pytest.mark.parametrize("status", [404, 500])
def test_error_status_is_reported_without_retry(server, status):
    before = server.paths().count(f"/status/{status}")
    with pytest.raises(HTTPStatusError, match=f"HTTP {status}") as err:
        fetch(server.url(f"/status/{status}"))
    assert err.value.status == status and f"/status/{status}" in str(err.value)
    assert server.paths().count(f"/status/{status}") == before + 1


def test_slow_server_hits_the_read_timeout(server):
    with pytest.raises(FetchTimeout, match="ReadTimeout"):
        fetch(server.url("/slow"))


def test_trickling_body_hits_the_total_deadline(server):
    # One byte every 0.2 s never trips the 0.5 s read timeout: only the total deadline stops it.
    with pytest.raises(FetchTimeout, match="no complete response within 3s"):
        fetch(server.url("/trickle"))


def test_50mb_body_with_content_length_is_refused_up_front(server):
    with pytest.raises(BodyTooLarge, match="Content-Length 52428800 exceeds the 10485760-byte cap"):
        fetch(server.url("/huge"), policy(max_bytes=FetchPolicy().max_bytes))


def test_50mb_streamed_body_stops_at_the_default_cap(server):
    with pytest.raises(BodyTooLarge, match="body exceeds the 10485760-byte cap"):
        fetch(server.url("/huge-chunked"), policy(max_bytes=FetchPolicy().max_bytes))


def test_gzip_body_is_decoded_and_a_gzip_bomb_is_capped(server):
    assert fetch(server.url("/gzip/rss.xml")).body == fetch(server.url("/feeds/rss.xml")).body
    with pytest.raises(BodyTooLarge):
        fetch(server.url("/gzip/bomb"))  # ~90 KB on the wire, 20 MB decoded


def test_brotli_body_is_decoded(server):
    brotli = pytest.importorskip("brotli")
    plain = fetch(server.url("/feeds/rss.xml")).body
    server.routes["/br/rss.xml"] = lambda h: h.send(200, brotli.compress(plain), Content_Encoding="br")
    assert fetch(server.url("/br/rss.xml")).body == plain


def test_redirects_are_followed_up_to_the_limit(server):
    res = fetch(server.url("/chain/3"))
    assert res.final_url == server.url("/feeds/rss.xml") and res.url == server.url("/chain/3")
    with pytest.raises(TooManyRedirects, match="more than 5 redirects"):
        fetch(server.url("/chain/9"))


def test_redirect_loop_is_detected(server):
    with pytest.raises(TooManyRedirects, match="redirect loop"):
        fetch(server.url("/loop/a"))


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://localhost:{port}/feeds/rss.xml"]
)
def test_redirect_to_a_private_address_is_blocked(server, target):
    target = target.format(port=server.server_address[1])
    with pytest.raises(BlockedAddress, match="refusing non-public address"):
        fetch(server.url("/redirect?to=" + target))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://[::1]/",
        "http://169.254.169.254/",
        "http://192.168.1.1/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_by_default(url):
    with pytest.raises(BlockedAddress):
        fetch(url, FetchPolicy(obey_robots=False))


def test_loopback_needs_an_explicit_allowance(server):
    with pytest.raises(BlockedAddress):
        fetch(server.url("/feeds/rss.xml"), policy(allowed_hosts=frozenset()))
    assert fetch(server.url("/feeds/rss.xml"), policy(allowed_hosts=frozenset(), allow_private=True)).status == 200


def test_non_http_schemes_are_refused():
    with pytest.raises(UnsupportedURL):
        fetch("file:///etc/passwd")


def test_connection_refused_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the fetch: nothing listens there
    with pytest.raises(ConnectionFailed, match="ConnectError"):
        fetch(f"http://127.0.0.1:{port}/feed", policy(obey_robots=False))


def test_robots_disallow_is_honoured_and_can_be_switched_off(server):
    with pytest.raises(RobotsDisallowed, match="robots.txt"):
        fetch(server.url("/private/report"))
    assert fetch(server.url("/private/report"), policy(obey_robots=False)).body == b"secret"


def test_robots_4xx_allows_all_and_5xx_disallows():
    for robots, allowed in ((404, True), (500, False)):
        srv = Loopback(robots=robots)
        srv.thread.start()
        try:
            if allowed:
                assert fetch(srv.url("/private/report")).body == b"secret"
            else:
                with pytest.raises(RobotsDisallowed, match="HTTP 500"):
                    fetch(srv.url("/feeds/rss.xml"))
        finally:
            srv.shutdown()
            srv.server_close()


def test_robots_is_cached_per_host_with_a_ttl(server):
    now = [1000.0]

    async def scenario():
        async with Fetcher(policy(robots_ttl=60.0), clock=lambda: now[0]) as f:
            for _ in range(3):
                await f.get(server.url("/feeds/atom.xml"))
            now[0] += 61.0
            await f.get(server.url("/feeds/atom.xml"))

    before = server.paths().count("/robots.txt")
    run(scenario())
    assert server.paths().count("/robots.txt") == before + 2


def _recording_fetch(url: str, pol: FetchPolicy | None = None):
    delays: list[float] = []

    async def sleep(d: float) -> None:
        delays.append(d)

    async def go():
        async with Fetcher(pol or policy(), sleep=sleep) as f:
            return await f.get(url)

    return run(go()), delays


def test_429_with_retry_after_is_waited_out_then_retried(server):
    res, delays = _recording_fetch(server.url("/retry/429/a"))
    assert res.status == 200 and delays == [1.0]
    assert server.paths().count("/retry/429/a") == 2


def test_503_with_an_http_date_retry_after(server):
    res, delays = _recording_fetch(server.url("/retry/503-date/a"))
    assert res.status == 200 and len(delays) == 1 and 0.0 <= delays[0] <= 2.0


def test_503_without_retry_after_backs_off_exponentially(server):
    res, delays = _recording_fetch(server.url("/retry/503-backoff/a"))
    assert res.status == 200 and delays == [0.01, 0.02]


def test_retry_after_beyond_the_cap_is_reported_not_waited(server):
    with pytest.raises(HTTPStatusError, match="HTTP 429, Retry-After 3600s") as err:
        _recording_fetch(server.url("/retry/429-long"))
    assert err.value.retry_after == 3600.0


def test_conditional_get_gives_304_with_the_validators(server):
    first = fetch(server.url("/etag/rss.xml"))
    assert first.etag == '"v1"' and first.last_modified
    again = fetch(server.url("/etag/rss.xml"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b"" and again.etag == '"v1"'
    by_date = fetch(server.url("/etag/rss.xml"), last_modified=first.last_modified)
    assert by_date.not_modified and by_date.last_modified == first.last_modified
    sent = [h for p, h in server.hits if p == "/etag/rss.xml"]
    assert sent[1].get("If-None-Match") == '"v1"'


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/legacy/1256-declared-utf8", CP1256_PAGE.decode("windows-1256")),
        ("/legacy/1256", CP1256_PAGE.decode("windows-1256")),
        ("/legacy/8859-6", ISO6_PAGE.decode("iso8859-6")),
        ("/legacy/utf8-declared-1256", UTF8_PAGE.decode("utf-8")),
    ],
)
def test_charsets_decode_real_arabic_pages_even_when_the_header_lies(server, path, expected):
    assert fetch(server.url(path)).text == expected


def test_per_host_interval_spaces_requests(server):
    async def go():
        async with Fetcher(policy(per_host_interval=0.2)) as f:
            t = time.monotonic()
            for _ in range(3):
                await f.get(server.url("/feeds/feed.json"))
            return time.monotonic() - t

    assert run(go()) >= 0.6  # robots.txt + 3 requests, 0.2 s apart


@pytest.mark.parametrize("cap", [1, 3])
def test_per_host_concurrency_cap(server, cap):
    async def go():
        async with Fetcher(policy(per_host_concurrency=cap)) as f:
            await f.get(server.url("/robots.txt"))
            server.max_in_flight = 0
            await asyncio.gather(*(f.get(server.url(f"/concurrent/{i}")) for i in range(6)))

    run(go())
    assert server.max_in_flight == cap


def test_parse_retry_after():
    now = datetime(2024, 5, 13, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 13 May 2024 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Mon, 13 May 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_policy_from_settings_reads_fetch_settings_where_declared():
    class FakeSettings:  # stands in for khabar.settings.Settings once fetch_* settings are declared
        fetch_user_agent = "Khabar/2"
        fetch_max_bytes = 1024
        fetch_allowed_hosts = "127.0.0.1, ::1"

    pol = FetchPolicy.from_settings(FakeSettings(), retries=0)
    assert (pol.user_agent, pol.max_bytes, pol.retries) == ("Khabar/2", 1024, 0)
    assert pol.allowed_hosts == frozenset({"127.0.0.1", "::1"}) and pol.obey_robots
    assert FetchPolicy.from_settings(load_settings(env={})) == FetchPolicy()
