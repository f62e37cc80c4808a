"""Claude use cases for the CLI and the desktop app: API key, access mode, connection test, usage."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.analysis.claude.client import (
    API_KEY_SECRET,
    account_token,
    make_client,
    resolve_access,
)
from app.analysis.claude.ledger import UsageSink, record_call, store_sink
from app.analysis.claude.usage import CallUsage, usage_from_response
from app.domain.errors import InvalidInput, KeychainUnavailable, UsageError
from app.domain.french import PARIS
from app.settings import (
    ACCOUNT_SERVER_URL,
    CLAUDE_DRAFTING_MODEL,
    CLAUDE_EXTRACTION_MODEL,
    CLAUDE_INPUT_BUDGET,
    CLAUDE_MODE,
    ClaudeMode,
    Settings,
)
from local_store import repo_usage
from local_store.keychain import delete_secret, get_secret, set_secret_verified
from local_store.store import Store

log = logging.getLogger(__name__)

# Said when the keychain does not keep the key (no keychain, locked, refused): what really happens to
# the key and to the user's data, and what to do — no command line, the app shows it too.
API_KEY_NOT_KEPT = (
    "La clé d'API n'a pas été enregistrée : le trousseau du système de cet ordinateur ne conserve pas "
    "les secrets (aucun trousseau disponible ou trousseau verrouillé), et Maître AO ne garde jamais la "
    "clé ailleurs. Vos données ne sont pas touchées : elles restent chiffrées sur cet ordinateur. "
    "Déverrouillez ou activez le trousseau du système, puis enregistrez la clé à nouveau ; d'ici là, "
    "l'analyse hors ligne reste disponible."
)

MODE_LABELS = {
    "off": "désactivé (analyse hors ligne seule)",
    "own_key": "votre propre clé API",
    "account": "abonnement Maître AO",
}


def set_api_key(key: str, settings: Settings | None = None) -> None:
    """Keep the key in the OS keychain (never in the settings file) and use it from now on."""
    key = key.strip()
    if not key or any(ch.isspace() for ch in key) or len(key) < 20:
        raise InvalidInput(
            "La clé API semble incomplète (copiez-la en entier, sans espace).", field="clé API"
        )
    if not key.startswith("sk-ant-"):
        raise InvalidInput("Une clé API Anthropic commence par « sk-ant- ».", field="clé API")
    try:
        set_secret_verified(API_KEY_SECRET, key)
    except KeychainUnavailable as exc:
        log.warning(
            "anthropic api key not stored: the keychain does not keep secrets (%s)", type(exc).__name__
        )
        delete_secret(API_KEY_SECRET)  # nothing half-kept
        raise KeychainUnavailable(API_KEY_NOT_KEPT) from exc
    (settings or Settings.load()).set(CLAUDE_MODE, ClaudeMode.OWN_KEY)
    log.info("anthropic api key stored in the keychain")


def delete_api_key(settings: Settings | None = None) -> None:
    delete_secret(API_KEY_SECRET)
    settings = settings or Settings.load()
    if settings.get(CLAUDE_MODE) is ClaudeMode.OWN_KEY:
        settings.set(CLAUDE_MODE, ClaudeMode.OFF)
    log.info("anthropic api key deleted")


def set_mode(mode: str | ClaudeMode, settings: Settings | None = None) -> None:
    try:
        new_mode = ClaudeMode(mode)
    except ValueError:
        choices = ", ".join(m.value for m in ClaudeMode)
        raise UsageError(f"Mode inconnu : « {mode} ». Choisissez parmi : {choices}.", field="mode") from None
    settings = settings or Settings.load()
    if new_mode is ClaudeMode.OWN_KEY and not get_secret(API_KEY_SECRET):
        raise UsageError("Aucune clé API enregistrée : maitre-ao config set-api-key")
    if new_mode is ClaudeMode.ACCOUNT and not (settings.get(ACCOUNT_SERVER_URL) and account_token()):
        raise UsageError("Aucun compte Maître AO connecté : connectez-vous d'abord (maitre-ao login).")
    settings.set(CLAUDE_MODE, new_mode)


@dataclass(frozen=True)
class ClaudeStatus:
    mode: str
    mode_label: str
    configured: bool
    access: str | None  # how Claude is reached now, in French
    extraction_model: str
    drafting_model: str
    input_budget: int

    @property
    def default_engine(self) -> str:
        """hybrid when Claude can be reached, else offline."""
        return "hybrid" if self.configured else "offline"


def status(settings: Settings | None = None) -> ClaudeStatus:
    settings = settings or Settings.load()
    access = resolve_access(settings)
    mode = settings.get(CLAUDE_MODE)
    return ClaudeStatus(
        mode=mode,
        mode_label=MODE_LABELS.get(mode, mode),
        configured=access is not None,
        access=access.describe() if access else None,
        extraction_model=settings.get(CLAUDE_EXTRACTION_MODEL),
        drafting_model=settings.get(CLAUDE_DRAFTING_MODEL),
        input_budget=settings.get(CLAUDE_INPUT_BUDGET),
    )


def check_connection(
    store: Store | None = None,
    on_status: Callable[[str], None] | None = None,
    *,
    settings: Settings | None = None,
    usage_sink: UsageSink | None = None,
) -> str:
    """A one-token call to check the key or the account; returns a French confirmation.

    Its usage goes to `store`, or to `usage_sink` (the desktop app's network lane hands it to the DB lane)."""
    from app.analysis.claude.retry import with_retries  # imports the SDK (slow)

    settings = settings or Settings.load()
    access = resolve_access(settings)
    client = make_client(access)
    model = settings.get(CLAUDE_EXTRACTION_MODEL)
    message = with_retries(
        lambda: client.messages.create(
            model=model, max_tokens=1, messages=[{"role": "user", "content": "Bonjour"}]
        ),
        on_status=on_status,
    )
    usage = usage_from_response(message.usage, purpose="test", model=model, consultation_uuid=None)
    if usage_sink is not None:
        usage_sink(usage)
    elif store is not None:
        record_call(store, usage)
    assert access is not None
    return f"Connexion à Claude réussie ({access.describe()}, modèle {model})."


def record_usage(store: Store, calls: list[CallUsage], settings: Settings | None = None) -> None:
    """Keep usage records made on the network lane."""
    for call in calls:
        record_call(store, call, settings)


def ledger_sink(store: Store, consultation_uuid: str | None = None) -> UsageSink:
    """Pass this as `usage_sink` to engines.analyze / draft_section."""
    return store_sink(store, consultation_uuid)


@dataclass(frozen=True)
class UsageSummary:
    rows: list[repo_usage.UsageRow]
    total: repo_usage.UsageTotals
    month: repo_usage.UsageTotals  # since the 1st of the current month (Paris time)
    by_consultation: list[tuple[str | None, repo_usage.UsageTotals]]


def month_start(now: datetime | None = None) -> datetime:
    local = (now or datetime.now(UTC)).astimezone(PARIS)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def usage_summary(
    store: Store, consultation_uuid: str | None = None, now: datetime | None = None
) -> UsageSummary:
    return UsageSummary(
        rows=repo_usage.rows(store, consultation_uuid),
        total=repo_usage.totals(store, consultation_uuid=consultation_uuid),
        month=repo_usage.totals(store, since=month_start(now)),
        by_consultation=repo_usage.by_consultation(store),
    )
