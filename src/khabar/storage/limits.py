"""How much of a large store a ranked search reads: one setting for both backends."""

RANKED_MAX = 2_000  # matches ranked per query at most: ~2-12 ms of BM25 (see SQLiteSearch.search_ids)
SAMPLE = 10_000  # newest articles counted to estimate how many a query (or one of its words) matches
MIN_SEEN = 30  # a word's matches counted before its share of the store is trusted (IDF off by < 0.2)
