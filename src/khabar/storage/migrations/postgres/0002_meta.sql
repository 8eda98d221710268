-- Key/value facts about the store itself, e.g. which analyzer built the text index.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
