"""Ranking short texts against full-text queries in a throwaway in-memory SQLite (FTS5, BM25).

The same SQLite engine and tokenizer as the store's search (accents and case ignored); nothing is
written to disk and no key is involved. Callers pass texts and FTS5 MATCH expressions, never SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlcipher3 import dbapi2


def best_matches(texts: Sequence[str], queries: Iterable[str], per_query: int) -> list[list[int]]:
    """For each query, the indexes of the `per_query` texts that match it best (best first)."""
    if not texts:
        return []
    db = dbapi2.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
        db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(texts))
        return [
            [
                int(row[0])
                for row in db.execute(
                    "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (query, per_query)
                )
            ]
            for query in queries
        ]
    finally:
        db.close()
