-- Named entities of each article (canonical key, display text, type PERS/LOC/ORG/MISC,
-- position in the article's list), looked up by key for the entity search filter;
-- and the fingerprint of each article as received, so a re-import of an unchanged
-- article skips enrichment.
CREATE TABLE article_entities (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, key, type)
);
CREATE INDEX article_entities_key ON article_entities(key, article_id);
ALTER TABLE articles ADD COLUMN input_hash TEXT NOT NULL DEFAULT '';
