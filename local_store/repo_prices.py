"""The candidate's prices for the buyer's price schedules (BPU, DPGF, DQE), per consultation and piece.

Never synced (sync.policy.NEVER_SYNCED): prices are the company's most sensitive figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from local_store.clock import utc_now_iso as _now
from local_store.store import Store


@dataclass(frozen=True, slots=True)
class PriceEntry:
    piece_path: str
    line_key: str
    designation: str
    price_label: str
    price: float


def prices(store: Store, consultation_uuid: str) -> dict[str, dict[str, float]]:
    """piece path → line key → price (€ HT)."""
    out: dict[str, dict[str, float]] = {}
    rows = store.read().execute(
        "SELECT piece_path, line_key, price FROM price_entries WHERE consultation_uuid = ?",
        (consultation_uuid,),
    )
    for r in rows:
        out.setdefault(str(r["piece_path"]), {})[str(r["line_key"])] = float(r["price"])
    return out


def entries(store: Store, consultation_uuid: str) -> list[PriceEntry]:
    rows = store.read().execute(
        "SELECT piece_path, line_key, designation, price_label, price FROM price_entries"
        " WHERE consultation_uuid = ? ORDER BY piece_path, rowid",
        (consultation_uuid,),
    )
    return [
        PriceEntry(
            str(r["piece_path"]),
            str(r["line_key"]),
            str(r["designation"]),
            str(r["price_label"]),
            float(r["price"]),
        )
        for r in rows
    ]


def set_prices(
    store: Store,
    consultation_uuid: str,
    piece_path: str,
    values: list[tuple[str, str, str, float | None]],
) -> None:
    """(line key, designation, price label, price or None to clear), in one transaction."""
    now = _now()
    with store.transaction() as conn:
        for key, designation, label, price in values:
            if price is None:
                conn.execute(
                    "DELETE FROM price_entries WHERE consultation_uuid = ? AND piece_path = ? AND line_key = ?",
                    (consultation_uuid, piece_path, key),
                )
                continue
            conn.execute(
                "INSERT INTO price_entries(consultation_uuid, piece_path, line_key, designation, price_label,"
                " price, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(consultation_uuid, piece_path, line_key) DO UPDATE SET"
                "   designation = excluded.designation, price_label = excluded.price_label,"
                "   price = excluded.price, updated_at = excluded.updated_at",
                (consultation_uuid, piece_path, key, designation, label, float(price), now),
            )
