"""Small helpers shared by the HTTP tests."""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from khabar.storage import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "ant-2018-05.jsonl.gz"
TAGS = ["كوريا الشمالية", "مايك بومبيو", "الولايات المتحدة"]
ATTRIBUTIONS = ["بي بي سي عربي", "رويترز"]
PAGE_SIZE = 20
TAGGED_URL = "http://www.bbc.co.uk/arabic/world-44049490"
# Names in the tagged article's own text (what the NER model finds there), stored as its entities:
# the first two also are tags (their names link to tag pages), the others are not.
ENTITIES = [("مايك بومبيو", "PERS"), ("كوريا الشمالية", "LOC"), ("بيونغ يانغ", "LOC"), ("دونالد ترامب", "PERS")]


@dataclass(frozen=True)
class Site:
    """The running site and what was put in it."""

    url: str
    store: Store
    records: list[dict[str, Any]]  # the sample as read from the file
    tagged: dict[str, Any]  # the record imported with tags and attributions
    tagged_id: int


WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
MARK = re.compile(r"<mark>(.*?)</mark>")


def page_text(markup: str) -> str:
    """The page with entities decoded, for 'does this text appear' checks."""
    return html.unescape(markup)


def shown(text: str) -> str:
    """How the site shows a piece of article text: Western digits."""
    return text.translate(WESTERN)


def links(markup: str, prefix: str) -> list[str]:
    """Every href starting with ``prefix``, in page order."""
    return re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', markup)


def serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start uvicorn on a free loopback port in a daemon thread; wait until it answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@contextmanager
def served(app: Any) -> Iterator[tuple[str, httpx.Client]]:
    """(site URL, client bound to it) of ``app`` served on loopback; stopped on exit."""
    server, thread, url = serve(app)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            yield url, client
    finally:
        server.should_exit = True
        thread.join(10)


def page_json(client: httpx.Client, path: str, status: int = 200, **params: str) -> dict[str, Any]:
    """A page as JSON, checked against the shape the OpenAPI description declares for its route
    (:data:`khabar.web.openapi.ROUTES`, or ``NOT_FOUND`` for a 404; every key must be declared)."""
    from khabar.web.openapi import NOT_FOUND, ROUTES

    r = client.get(path, params={**params, "format": "json"})
    assert r.status_code == status, r.text[:300]
    route = next(p for p in ROUTES if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path))
    model = ROUTES[route] if status == 200 else NOT_FOUND[route]
    model.model_validate(r.json())
    return r.json()
