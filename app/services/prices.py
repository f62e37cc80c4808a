"""Price schedule use cases (CLI and app): the buyer's BPU/DPGF/DQE lines of a consultation, the prices
typed for them (kept in the encrypted store), prices reused from another consultation, our totals, and
the buyer's documents to fill at export.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import InvalidInput, NotFound
from app.domain.kinds import PieceKind
from app.export.buyer_docs import SCHEDULE_KINDS, SPREADSHEETS, BuyerFile, safe_name
from app.export.schedule import Computation, PriceLine, Schedule, compute, norm, read_schedule
from local_store import repo_pieces, repo_prices
from local_store.store import Store

log = logging.getLogger(__name__)

BUYER_KINDS = (*SCHEDULE_KINDS, PieceKind.AE, PieceKind.CADRE_REPONSE)


@dataclass
class ScheduleView:
    """One schedule of a consultation as the Prix tab shows it."""

    piece_path: str
    file_name: str
    schedule: Schedule
    prices: dict[str, float]  # line key → € HT

    def price(self, line: PriceLine) -> float | None:
        return self.prices.get(line.key, line.current)

    def totals(self) -> Computation:
        return compute(self.schedule, self.prices)


def _schedule_rows(store: Store, consultation_uuid: str) -> list[repo_pieces.PieceRow]:
    return [
        p
        for p in repo_pieces.list_pieces(store, consultation_uuid)
        if p.kind in SCHEDULE_KINDS and Path(p.path).suffix.lower() in SPREADSHEETS and p.sha256
    ]


def schedules(store: Store, consultation_uuid: str) -> list[ScheduleView]:
    """The consultation's spreadsheet schedules with their lines and the prices typed so far."""
    stored = repo_prices.prices(store, consultation_uuid)
    views: list[ScheduleView] = []
    with tempfile.TemporaryDirectory(prefix="maitre-ao-prix-") as tmp:
        for row in _schedule_rows(store, consultation_uuid):
            data = repo_pieces.blob_data(store, row.sha256 or "")
            if data is None:
                continue
            path = Path(tmp) / f"{len(views)}{Path(row.path).suffix.lower()}"
            path.write_bytes(data)
            schedule = read_schedule(path, safe_name(row.path))
            views.append(ScheduleView(row.path, safe_name(row.path), schedule, stored.get(row.path, {})))
    return views


def set_prices(
    store: Store, consultation_uuid: str, view: ScheduleView, values: Mapping[str, float | None]
) -> None:
    """Keep prices (None clears one) for lines of `view`, in one transaction."""
    rows: list[tuple[str, str, str, float | None]] = []
    for key, price in values.items():
        line = view.schedule.line(key)
        if line is None:
            raise NotFound(f"Ligne de prix inconnue : {key}.")
        if price is not None and (price < 0 or price != price):
            raise InvalidInput(f"Prix invalide pour « {line.designation} » : il doit être positif.")
        rows.append((key, line.designation, line.price_label, price))
    repo_prices.set_prices(store, consultation_uuid, view.piece_path, rows)
    for key, price in values.items():
        if price is None:
            view.prices.pop(key, None)
        else:
            view.prices[key] = price


def import_prices(store: Store, consultation_uuid: str, from_consultation: str) -> int:
    """Copy the prices of lines with the same designation (and price column) from another consultation;
    returns how many lines received a price. Lines already priced are kept."""
    previous: dict[tuple[str, str], float] = {}
    for e in repo_prices.entries(store, from_consultation):
        previous[(norm(e.designation), norm(e.price_label))] = e.price
        previous.setdefault((norm(e.designation), ""), e.price)
    count = 0
    for view in schedules(store, consultation_uuid):
        values: dict[str, float | None] = {}
        for line in view.schedule.lines:
            if line.key in view.prices:
                continue
            found = previous.get((norm(line.designation), norm(line.price_label)))
            if found is None:
                found = previous.get((norm(line.designation), ""))
            if found is not None:
                values[line.key] = found
        if values:
            set_prices(store, consultation_uuid, view, values)
            count += len(values)
    return count


def buyer_files(store: Store, consultation_uuid: str) -> tuple[list[BuyerFile], dict[str, dict[str, float]]]:
    """The buyer's documents to fill at export (schedules, AE) and the prices by file name."""
    stored = repo_prices.prices(store, consultation_uuid)
    files: list[BuyerFile] = []
    prices: dict[str, dict[str, float]] = {}
    for row in repo_pieces.list_pieces(store, consultation_uuid):
        if row.kind not in BUYER_KINDS or not row.sha256:
            continue
        data = repo_pieces.blob_data(store, row.sha256)
        if data is None:
            continue
        name = safe_name(row.path)
        files.append(BuyerFile(name, row.kind, data))
        if row.path in stored:
            prices[name] = stored[row.path]
    return files, prices
