-- The copies of an article ("also published by", a story's timeline, `khabar show`) and the
-- ON DELETE SET NULL of a deleted original are looked up by copy_of: without an index each was
-- a full scan (264 ms on SQLite, 162 ms on PostgreSQL at 100k articles). Most articles are
-- originals (copy_of NULL), so only copies are indexed.
CREATE INDEX IF NOT EXISTS articles_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;
