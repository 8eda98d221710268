"""The OpenAPI description with each page's JSON shape (:mod:`khabar.web.schemas`).

Routes answer HTML by default, so FastAPI would file a response model under ``text/html``; the
JSON shapes are added here, under ``application/json``, next to the other media types."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from khabar.web import schemas

REF = "#/components/schemas/{model}"
ROUTES: dict[str, type[BaseModel]] = {
    "/": schemas.Listing, "/articles/{article_id}": schemas.ArticlePage, "/search": schemas.SearchPage,
    "/sections/{section}": schemas.Listing, "/sources": schemas.SourcesPage, "/sources/{name}": schemas.Listing,
    "/tags/{tag}": schemas.Listing, "/stories": schemas.StoriesPage, "/stories/{story_id}": schemas.StoryPage,
}
# A listing past its end (or of an unknown section, outlet or tag) is an empty listing with 404.
NOT_FOUND: dict[str, type[BaseModel]] = {
    "/": schemas.Listing, "/articles/{article_id}": schemas.ErrorPage, "/sections/{section}": schemas.Listing,
    "/sources/{name}": schemas.Listing, "/tags/{tag}": schemas.Listing, "/stories": schemas.StoriesPage,
    "/stories/{story_id}": schemas.ErrorPage,
}


def _ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"schema": {"$ref": REF.format(model=model.__name__)}}


def page_openapi(app: FastAPI) -> dict[str, Any]:
    """``app.openapi`` for the site: FastAPI's description plus the JSON of every page and of a 404."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    models = {*ROUTES.values(), schemas.ErrorPage}
    _, defs = models_json_schema([(m, "serialization") for m in models], ref_template=REF)
    spec.setdefault("components", {}).setdefault("schemas", {}).update(defs.get("$defs", {}))
    for path, model in ROUTES.items():
        responses = spec["paths"][path]["get"]["responses"]
        responses["200"].setdefault("content", {})["application/json"] = _ref(model)
        if path in NOT_FOUND:
            responses["404"] = {"description": "Not found: the site's page, or its JSON with ?format=json",
                                "content": {"text/html": {}, "application/json": _ref(NOT_FOUND[path])}}
    app.openapi_schema = spec
    return spec
