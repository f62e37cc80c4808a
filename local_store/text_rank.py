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


class MemoryIndex:
    """An in-memory FTS5 index of (title, tags, body) texts, normalised by text_norm like the store's
    library_fts_norm: the drafting index when the library is not in a store (demo, tests)."""

    def __init__(self, docs: Sequence[tuple[str, str, str]]) -> None:
        from local_store.text_norm import normalize

        self._db = dbapi2.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(title, tags, body, tokenize='unicode61 remove_diacritics 2')"
        )
        self._db.executemany(
            "INSERT INTO t(rowid, title, tags, body) VALUES (?, ?, ?, ?)",
            ((i, normalize(a), normalize(b), normalize(c)) for i, (a, b, c) in enumerate(docs)),
        )

    def search(self, match: str, limit: int, weights: tuple[float, float, float]) -> list[tuple[int, float]]:
        """(index of the text, BM25 score — higher is better), best first."""
        if not match:
            return []
        rows = self._db.execute(
            "SELECT rowid, -bm25(t, ?, ?, ?) AS score FROM t WHERE t MATCH ? ORDER BY score DESC LIMIT ?",
            (*weights, match, limit),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def close(self) -> None:
        self._db.close()
