"""The JSON of each page (``?format=json``), declared for the OpenAPI description.

The pages build plain dicts (:mod:`khabar.web.pages`, :mod:`khabar.shapes`); these models only
describe them, so that a client can be generated from ``/openapi.json``. Every model forbids keys
it does not name: the web tests validate each page's JSON with them, so a key added to a page
without its description here fails a test. Times are ISO 8601 UTC text (``2018-05-09T08:44:00Z``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Pager(_Shape):
    page: int
    page_size: int
    has_next: bool
    has_prev: bool
    total: int | None = Field(description="matching articles; null on search pages (not counted)")
    pages: int | None


class Card(_Shape):
    """An article as a line of a list."""

    url: str = Field(description="the original address: the article's identity")
    title: str
    source: str = Field(description="the outlet")
    published_at: str | None
    section: str = Field(description="stable section id, e.g. international, sport")
    lead: str
    id: int = Field(description="the article's id on this site: /articles/{id}")
    section_name: str = Field(description="the section's Arabic name")


class ListedCard(Card):
    """A card on a listing, search or story page: also what a feed entry shows."""

    author: str
    tags: list[str]


class ScoredCard(Card):
    score: float


class Entity(_Shape):
    text: str
    type: str = Field(description="PERS, LOC, ORG or MISC")


class Copy(_Shape):
    url: str
    source: str
    published_at: str | None


class Story(_Shape):
    id: int
    headline: str
    first_seen: str | None
    last_updated: str | None
    article_count: int
    outlet_count: int


class HomeStory(Story):
    outlets: list[str] = Field(description="the outlets of its reports, most reports first")
    articles: list[Card] = Field(description="a few of its reports, newest first, copies left out")


class Listing(Pager):
    """Home, a section, an outlet or a tag: newest first."""

    kind: str = Field(description="home, section, source or tag")
    title: str
    articles: list[ListedCard]
    stories: list[HomeStory] | None = Field(None, description="home only: the hottest multi-outlet stories")


class StoriesPage(Pager):
    """The hottest stories: covered by two or more outlets in the window, most outlets first."""

    kind: str = Field(description="stories")
    title: str
    hours: int = Field(description="the window, in hours before the newest article")
    query_prefix: str = Field(description="query string that keeps the window across pages")
    stories: list[HomeStory]


class Hit(ListedCard):
    score: float
    snippet: str = Field(description="text around the matches, the matched words in <mark>")


class SearchOptions(_Shape):
    source: str
    section: str
    tag: str
    entity: str
    since: str
    until: str
    originals: str
    sort: str
    mode: str


class SearchPage(Pager):
    title: str
    q: str
    results: list[Hit]
    options: SearchOptions = Field(description="the filters as given")
    query_prefix: str = Field(description="query string that keeps the options across pages")


class FullArticle(Card):
    canonical_url: str
    title_inferred: bool = Field(description="the page had no headline: this one comes from the lead")
    paragraphs: list[str]
    author: str
    image: str
    language: str
    attributions: list[str] = Field(description="credits such as المصدر: ... and agency datelines")
    tags: list[str] = Field(description="كلمات دلالية: canonical keyword tags")
    fetched_at: str | None
    story_id: int | None
    copy_of: str | None = Field(description="url of the article this one re-publishes, if any")
    entities: list[Entity]


class EntityLink(Entity):
    type_name: str
    tag: bool = Field(description="whether a tag page of that name exists")


class ArticlePage(_Shape):
    article: FullArticle
    title: str
    description: str
    more: list[Card] = Field(description="more from its section")
    entity_links: list[EntityLink]
    read_also: list[ScoredCard] = Field(description="إقرأ أيضاً: 1-3 reports of the same event (after khabar embed)")
    similar: list[ScoredCard] = Field(description="مقالات مشابهة: articles about the same thing")
    also_published: list[Card] = Field(description="the same text published by other outlets")
    story: Story | None = Field(description="its story, when the story has other articles")


class Outlet(_Shape):
    name: str
    articles: int
    latest: str | None = None


class SourcesPage(_Shape):
    title: str
    sources: list[Outlet]


class StoryMember(ListedCard):
    copy_of: str | None


class StoryPage(_Shape):
    story: Story
    title: str
    outlets: list[Outlet]
    articles: list[StoryMember] = Field(description="the timeline, oldest first")


class ErrorPage(_Shape):
    title: str
    message: str

