-- Crawl state: consecutive poll failures per feed (for backoff), the due-feed
-- index, and article pages that failed to fetch (not retried forever).
ALTER TABLE feeds ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX feeds_next_due ON feeds(next_due);
CREATE INDEX articles_feed ON articles(feed_id);

CREATE TABLE page_failures (
    url TEXT PRIMARY KEY,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    last_at TEXT
);
