"""FastAPI application: routes map to page functions; each page is HTML or JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from importlib.resources import files
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from khabar.model import Filters
from khabar.settings import Settings
from khabar.storage import Store, open_store
from khabar.web import pages
from khabar.web.feeds import MEDIA_TYPES, feed_links, feed_response
from khabar.web.filters import register_filters
from khabar.web.head import HeadAsGet
from khabar.web.openapi import page_openapi

Format = Annotated[Literal["html", "json"], Query(description="html (default) or json")]
ListFormat = Annotated[
    Literal["html", "json", "atom", "rss"], Query(description="html (default), json, atom (Atom 1.0) or rss (RSS 2.0)")
]
# Listing pages answer in four media types (OpenAPI lists them).
FEED_TYPES = {"application/json": {}, **{t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}
LISTING: dict[str, Any] = {"response_class": HTMLResponse, "responses": {200: {"content": FEED_TYPES}}}
PageNo = Annotated[int, Query(ge=1, le=10_000)]
Hours = Annotated[int, Query(ge=1, le=24 * 366, description="the window, in hours before the newest article")]
Render = Callable[[Request, pages.Page, str], Response]


def create_app(settings: Settings, store: Store | None = None, semantic: pages.Semantic | None = None) -> FastAPI:
    """Build the site. The store (and its vectors) are opened here unless injected (tests)."""
    if semantic is None:
        semantic = _open_semantic(settings) if store is None else pages.Semantic()
    store = store or open_store(settings.db, title_weight=settings.title_weight)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Khabar",
        description="Arabic news: pages as HTML, or JSON with ?format=json; listings also as ?format=atom or rss",
        lifespan=lifespan,
    )
    templates = Jinja2Templates(directory=str(files("khabar.web").joinpath("templates")))
    register_filters(templates.env)
    templates.env.globals["site_name"] = settings.site_name
    app.mount("/static", StaticFiles(directory=str(files("khabar.web").joinpath("static"))), name="static")
    app.add_middleware(HeadAsGet)

    def render(request: Request, page: pages.Page, fmt: str) -> Response:
        if fmt in MEDIA_TYPES:
            return feed_response(request, page, fmt, settings.site_name, settings.page_size)
        if fmt == "json":
            data = {k: v for k, v in page.data.items() if k != "nav"}
            return JSONResponse(data, status_code=page.status)
        context = page.data | {"feeds": feed_links(request, page)}
        return templates.TemplateResponse(request, page.template, context, status_code=page.status)

    @app.exception_handler(HTTPException)
    async def not_found_page(request: Request, exc: HTTPException) -> Response:
        """Unknown paths get the site's own 404 page (JSON error when asked for JSON)."""
        if exc.status_code != 404 or request.query_params.get("format") == "json":
            return await http_exception_handler(request, exc)
        return render(request, pages.not_found(store, "لم نجد هذه الصفحة"), "html")

    _add_routes(app, store, settings, render, semantic)
    app.openapi = lambda: page_openapi(app)  # type: ignore[method-assign]
    return app


def _open_semantic(settings: Settings) -> pages.Semantic:
    """Vectors beside the store and the configured embedder (loaded on first query), if embedded."""
    from khabar.enrich.embeddings import RecentQueries
    from khabar.search.vectors import open_semantic

    vectors, embedder = open_semantic(settings)
    return pages.Semantic(vectors, RecentQueries(embedder) if embedder is not None else None)


def _search_options(settings: Settings, params: dict[str, str]) -> pages.SearchOptions:
    """Filters, sort and mode from the query string; a bare ``until`` date includes that day."""
    from khabar.search.query import parse_when
    from khabar.storage.rows import tag_key

    def when(name: str, end: bool = False) -> datetime | None:
        try:
            return parse_when(params.get(name) or None, end)
        except ValueError:
            return None  # a malformed date is ignored rather than failing the page

    filters = Filters(source=params.get("source") or None, section=params.get("section") or None,
                      tag=tag_key(params["tag"]) if params.get("tag") else None,
                      since=when("since"), until=when("until", end=True),
                      entity=tag_key(params["entity"]) if params.get("entity") else None,
                      originals=params.get("originals") in ("1", "true", "on"))
    given = tuple((k, params[k]) for k in ("source", "section", "tag", "entity", "since", "until") if params.get(k))
    given += (("originals", "1"),) if filters.originals else ()
    sort = params.get("sort") if params.get("sort") in ("relevance", "date") else "relevance"
    mode = params.get("mode") if params.get("mode") in ("hybrid", "lexical", "semantic") else settings.search_mode
    return pages.SearchOptions(filters, sort, mode, given)


def _add_routes(app: FastAPI, store: Store, settings: Settings, render: Render, semantic: pages.Semantic) -> None:
    """One route per page function."""

    @app.get("/", **LISTING)
    def home(request: Request, page: PageNo = 1, format: ListFormat = "html") -> Response:
        return render(request, pages.home_page(store, settings, page), format)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: int, format: Format = "html") -> Response:
        return render(request, pages.article_page(store, settings, article_id, semantic), format)

    @app.get("/search", **LISTING)
    def search(request: Request, q: str = "", page: PageNo = 1, format: ListFormat = "html") -> Response:
        """Hybrid search; also ?source= &section= &tag= &entity= &since= &until= (YYYY-MM-DD) &sort=date &mode=
        &originals=1 (each wire text once: copies left out).
        A feed (atom, rss) sorts by date unless asked for ``sort=relevance``: a subscription wants new matches."""
        params = dict(request.query_params)
        if format in MEDIA_TYPES:
            params.setdefault("sort", "date")
        options = _search_options(settings, params)
        return render(request, pages.search_page(store, settings, q, page, options, semantic), format)

    @app.get("/sections/{section}", **LISTING)
    def section(request: Request, section: str, page: PageNo = 1, format: ListFormat = "html") -> Response:
        return render(request, pages.section_page(store, settings, section, page), format)

    @app.get("/sources", response_class=HTMLResponse)
    def sources(request: Request, format: Format = "html") -> Response:
        return render(request, pages.sources_page(store, settings), format)

    @app.get("/sources/{name}", **LISTING)
    def source(request: Request, name: str, page: PageNo = 1, format: ListFormat = "html") -> Response:
        return render(request, pages.source_page(store, settings, name, page), format)

    @app.get("/tags/{tag}", **LISTING)
    def tag(request: Request, tag: str, page: PageNo = 1, format: ListFormat = "html") -> Response:
        return render(request, pages.tag_page(store, settings, tag, page), format)

    @app.get("/stories", **LISTING)
    def stories(request: Request, page: PageNo = 1, hours: Hours = 48, format: ListFormat = "html") -> Response:
        """Stories that two or more outlets covered in the window, most outlets first, then most articles."""
        from khabar.web.story_pages import stories_page

        return render(request, stories_page(store, settings, page, hours), format)

    @app.get("/stories/{story_id}", **LISTING)
    def story(request: Request, story_id: int, format: ListFormat = "html") -> Response:
        from khabar.web.story_pages import story_page

        return render(request, story_page(store, settings, story_id), format)
