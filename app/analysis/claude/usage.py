"""Token usage of one Claude call and its cost in euros (price table from the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.settings import CLAUDE_PRICES_EUR, Settings


@dataclass(frozen=True, slots=True)
class CallUsage:
    purpose: str  # extraction, repair, drafting, count
    model: str
    input_tokens: int = 0  # uncached input
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    consultation_uuid: str | None = None

    @property
    def billed_input_equivalent(self) -> float:
        """Input tokens weighted as billed: cache writes cost 1.25×, cache reads 0.1×."""
        return self.input_tokens + 1.25 * self.cache_write_tokens + 0.1 * self.cache_read_tokens


def usage_from_response(usage: Any, *, purpose: str, model: str, consultation_uuid: str | None) -> CallUsage:
    """Read the SDK's `Usage` object (fields may be None on a cut stream)."""

    def val(name: str) -> int:
        return int(getattr(usage, name, 0) or 0) if usage is not None else 0

    return CallUsage(
        purpose=purpose,
        model=model,
        input_tokens=val("input_tokens"),
        output_tokens=val("output_tokens"),
        cache_write_tokens=val("cache_creation_input_tokens"),
        cache_read_tokens=val("cache_read_input_tokens"),
        consultation_uuid=consultation_uuid,
    )


def _price_for(model: str, table: dict[str, Any]) -> dict[str, float] | None:
    if model in table:
        return table[model]
    # Dated model ids ("claude-haiku-4-5-20251001") use the price of their family.
    for name in sorted(table, key=len, reverse=True):
        if model.startswith(name):
            return table[name]
    return None


def cost_eur(call: CallUsage, settings: Settings | None = None) -> float:
    """Estimated cost in euros; 0 for a model missing from the price table."""
    table = (settings or Settings.load()).get(CLAUDE_PRICES_EUR)
    price = _price_for(call.model, table)
    if price is None:
        return 0.0
    total = (
        call.input_tokens * float(price.get("input", 0))
        + call.output_tokens * float(price.get("output", 0))
        + call.cache_write_tokens * float(price.get("cache_write", 0))
        + call.cache_read_tokens * float(price.get("cache_read", 0))
    )
    return round(total / 1_000_000, 6)
