"""Writing each Claude call's usage to the ledger (local_store.repo_usage) with its cost in €."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from app.analysis.claude.usage import CallUsage, cost_eur
from app.settings import Settings
from local_store import repo_usage
from local_store.store import Store

log = logging.getLogger(__name__)

UsageSink = Callable[[CallUsage], None]


def record_call(store: Store, call: CallUsage, settings: Settings | None = None) -> None:
    repo_usage.record(
        store,
        consultation_uuid=call.consultation_uuid,
        purpose=call.purpose,
        model=call.model,
        input_tokens=call.input_tokens,
        output_tokens=call.output_tokens,
        cache_write_tokens=call.cache_write_tokens,
        cache_read_tokens=call.cache_read_tokens,
        cost_eur=cost_eur(call, settings),
    )


def store_sink(store: Store, consultation_uuid: str | None = None) -> UsageSink:
    """A sink writing to an open store; the consultation is filled in when the call has none."""
    settings = Settings.load()

    def sink(call: CallUsage) -> None:
        if call.consultation_uuid is None and consultation_uuid is not None:
            call = dataclasses.replace(call, consultation_uuid=consultation_uuid)
        record_call(store, call, settings)

    return sink


def auto_sink(consultation_uuid: str | None = None) -> UsageSink:
    """For callers that pass no sink: open the store (keychain mode only) for each call.

    Usage must not be lost because a caller forgot the sink; but a store that needs a passphrase
    cannot be opened here, so the call is only logged (tokens, never content).
    """

    def sink(call: CallUsage) -> None:
        from local_store import store as store_mod

        counts = (
            call.model,
            call.input_tokens,
            call.output_tokens,
            call.cache_write_tokens,
            call.cache_read_tokens,
        )
        if not store_mod.exists() or store_mod.uses_passphrase():
            log.info("claude usage not recorded (no store open): %s in=%d out=%d cw=%d cr=%d", *counts)
            return
        try:
            with store_mod.open_store() as store:
                store_sink(store, consultation_uuid)(call)
        except Exception as exc:  # the analysis result matters more than its accounting
            log.warning(
                "claude usage not recorded (%s): %s in=%d out=%d cw=%d cr=%d", type(exc).__name__, *counts
            )

    return sink
