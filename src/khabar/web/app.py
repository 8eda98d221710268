"""FastAPI application: routes map to page functions; each page is HTML or JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from khabar.settings import Settings
from khabar.storage import Store, open_store
from khabar.web import pages
from khabar.web.filters import register_filters

Format = Annotated[str, Query(pattern="^(html|json)$", description="html (default) or json")]
PageNo = Annotated[int, Query(ge=1, le=10_000)]
Render = Callable[[Request, pages.Page, str], Response]


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the site. The store is opened here unless one is injected (tests)."""
    store = store or open_store(settings.db, title_weight=settings.title_weight)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="Khabar", description="Arabic news: pages as HTML, or JSON with ?format=json", lifespan=lifespan
    )
    templates = Jinja2Templates(directory=str(files("khabar.web").joinpath("templates")))
    register_filters(templates.env)
    templates.env.globals["site_name"] = settings.site_name
    app.mount("/static", StaticFiles(directory=str(files("khabar.web").joinpath("static"))), name="static")

    def render(request: Request, page: pages.Page, fmt: str) -> Response:
        if fmt == "json":
            data = {k: v for k, v in page.data.items() if k != "nav"}
            return JSONResponse(data, status_code=page.status)
        return templates.TemplateResponse(request, page.template, page.data, status_code=page.status)

    @app.exception_handler(HTTPException)
    async def not_found_page(request: Request, exc: HTTPException) -> Response:
        """Unknown paths get the site's own 404 page (JSON error when asked for JSON)."""
        if exc.status_code != 404 or request.query_params.get("format") == "json":
            return await http_exception_handler(request, exc)
        return render(request, pages.not_found(store, "لم نجد هذه الصفحة"), "html")

    _add_routes(app, store, settings, render)
    return app


def _add_routes(app: FastAPI, store: Store, settings: Settings, render: Render) -> None:
    """One route per page function."""

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, page: PageNo = 1, format: Format = "html") -> Response:
        return render(request, pages.home_page(store, settings, page), format)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: int, format: Format = "html") -> Response:
        return render(request, pages.article_page(store, settings, article_id), format)

    @app.get("/search", response_class=HTMLResponse)
    def search(request: Request, q: str = "", page: PageNo = 1, format: Format = "html") -> Response:
        return render(request, pages.search_page(store, settings, q, page), format)

    @app.get("/sections/{section}", response_class=HTMLResponse)
    def section(request: Request, section: str, page: PageNo = 1, format: Format = "html") -> Response:
        return render(request, pages.section_page(store, settings, section, page), format)

    @app.get("/sources", response_class=HTMLResponse)
    def sources(request: Request, format: Format = "html") -> Response:
        return render(request, pages.sources_page(store, settings), format)

    @app.get("/sources/{name}", response_class=HTMLResponse)
    def source(request: Request, name: str, page: PageNo = 1, format: Format = "html") -> Response:
        return render(request, pages.source_page(store, settings, name, page), format)

    @app.get("/tags/{tag}", response_class=HTMLResponse)
    def tag(request: Request, tag: str, page: PageNo = 1, format: Format = "html") -> Response:
        return render(request, pages.tag_page(store, settings, tag, page), format)
