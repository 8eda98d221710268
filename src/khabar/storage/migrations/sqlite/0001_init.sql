-- Outlets, feeds, articles, tags, stories, and the full-text index.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    homepage TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    next_due TEXT,
    interval_s INTEGER NOT NULL DEFAULT 3600
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    headline TEXT NOT NULL DEFAULT '',
    first_seen TEXT,
    last_updated TEXT,
    article_count INTEGER NOT NULL DEFAULT 0,
    outlet_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    canonical_url TEXT NOT NULL DEFAULT '',
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '',
    title_inferred INTEGER NOT NULL DEFAULT 0,
    lead TEXT NOT NULL DEFAULT '',
    paragraphs TEXT NOT NULL DEFAULT '[]',
    published_at TEXT,
    fetched_at TEXT,
    author TEXT NOT NULL DEFAULT '',
    image TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'ar',
    section TEXT NOT NULL DEFAULT '',
    attributions TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,
    copy_of INTEGER REFERENCES articles(id) ON DELETE SET NULL
);
CREATE INDEX articles_published ON articles(published_at DESC, id DESC);
CREATE INDEX articles_source ON articles(source_id, published_at DESC);
CREATE INDEX articles_section ON articles(section, published_at DESC);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_story ON articles(story_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags(tag_id);

-- Contentless: the index holds Khabar's normalized, stemmed terms; the text
-- itself lives in `articles`. rowid = articles.id.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0'
);
