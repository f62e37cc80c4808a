"""Server configuration, read from the environment only (stateless processes, twelve-factor style)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BCRYPT_ROUNDS = 12  # the privacy policy promises bcrypt; 12 is the floor outside tests
# Scalingo regions in France (privacy policy: data and backups never leave France).
FRENCH_REGIONS = frozenset({"osc-fr1", "osc-secnum-fr1"})
DEFAULT_SQLITE_URL = "sqlite:///" + str(Path("maitre-ao-server.db").resolve())


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    """PaaS add-ons hand out `postgres://…`; SQLAlchemy wants an explicit driver (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_SQLITE_URL
    production: bool = False
    hosting_region: str = ""
    bcrypt_rounds: int = DEFAULT_BCRYPT_ROUNDS
    access_token_seconds: int = 3600
    refresh_token_seconds: int = 30 * 24 * 3600
    # Login throttling: failed attempts allowed per window, per e-mail and per client IP.
    login_window_seconds: int = 15 * 60
    login_max_per_email: int = 5  # per (e-mail, client IP): the owner elsewhere is not affected
    login_max_per_email_global: int = 20  # per e-mail from anywhere; the owner then uses a known device
    login_max_per_ip: int = 30
    login_block_seconds: int = 60  # first block; each further block lasts twice as long…
    login_max_block_seconds: int = 3600  # …up to this
    unlock_url: str = "https://www.maitre-ao.fr/deverrouiller"
    email_confirm_url: str = "https://www.maitre-ao.fr/confirmer-adresse"
    signup_max_per_ip: int = 10
    trust_proxy_headers: bool = False
    max_body_bytes: int = 4 * 1024 * 1024
    max_proxy_body_bytes: int = 32 * 1024 * 1024
    privacy_policy_version: str = "2026-11-01"
    privacy_policy_url: str = "https://www.maitre-ao.fr/confidentialite"
    # What changed in the current version, in French, one item per line (shown by the desktop before
    # the user acknowledges it); empty: the desktop shows the policy's address only.
    privacy_policy_changes: tuple[str, ...] = ()
    anthropic_api_key: str = field(default="", repr=False)
    anthropic_upstream_url: str = "https://api.anthropic.com"
    proxy_timeout_seconds: float = 600.0
    stripe_api_key: str = field(default="", repr=False)
    stripe_webhook_secret: str = field(default="", repr=False)
    stripe_api_base: str = ""  # empty = Stripe's own; tests point it at a loopback stand-in
    checkout_success_url: str = "https://www.maitre-ao.fr/abonnement/merci"
    checkout_cancel_url: str = "https://www.maitre-ao.fr/abonnement"
    # Retention (privacy policy §8).
    # Counted in calendar dates (server/retention.py), not in days.
    connection_log_months: int = 12
    account_retention_years: int = 3
    billing_retention_years: int = 10
    tombstone_days: int = 180
    idempotency_days: int = 7

    @classmethod
    def from_env(cls) -> Settings:
        rounds = _int("MAITRE_AO_BCRYPT_ROUNDS", DEFAULT_BCRYPT_ROUNDS)
        if not 4 <= rounds <= 31:
            raise ValueError("MAITRE_AO_BCRYPT_ROUNDS must be between 4 and 31")
        production = os.environ.get("MAITRE_AO_ENV", "").strip().lower() == "production"
        return cls(
            database_url=normalize_database_url(
                os.environ.get("DATABASE_URL", "").strip()
                or os.environ.get("SCALINGO_POSTGRESQL_URL", "").strip()
                or DEFAULT_SQLITE_URL
            ),
            production=production,
            hosting_region=os.environ.get("MAITRE_AO_HOSTING_REGION", "").strip(),
            bcrypt_rounds=rounds,
            access_token_seconds=_int("MAITRE_AO_ACCESS_TOKEN_SECONDS", 3600),
            refresh_token_seconds=_int("MAITRE_AO_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600),
            login_window_seconds=_int("MAITRE_AO_LOGIN_WINDOW_SECONDS", 15 * 60),
            login_max_per_email=_int("MAITRE_AO_LOGIN_MAX_PER_EMAIL", 5),
            login_max_per_email_global=_int("MAITRE_AO_LOGIN_MAX_PER_EMAIL_GLOBAL", 20),
            login_max_per_ip=_int("MAITRE_AO_LOGIN_MAX_PER_IP", 30),
            login_block_seconds=_int("MAITRE_AO_LOGIN_BLOCK_SECONDS", 60),
            login_max_block_seconds=_int("MAITRE_AO_LOGIN_MAX_BLOCK_SECONDS", 3600),
            unlock_url=os.environ.get("MAITRE_AO_UNLOCK_URL", "").strip()
            or "https://www.maitre-ao.fr/deverrouiller",
            email_confirm_url=os.environ.get("MAITRE_AO_EMAIL_CONFIRM_URL", "").strip()
            or "https://www.maitre-ao.fr/confirmer-adresse",
            signup_max_per_ip=_int("MAITRE_AO_SIGNUP_MAX_PER_IP", 10),
            trust_proxy_headers=_flag("MAITRE_AO_TRUST_PROXY", production),
            max_body_bytes=_int("MAITRE_AO_MAX_BODY_BYTES", 4 * 1024 * 1024),
            max_proxy_body_bytes=_int("MAITRE_AO_MAX_PROXY_BODY_BYTES", 32 * 1024 * 1024),
            privacy_policy_version=os.environ.get("MAITRE_AO_PRIVACY_POLICY_VERSION", "2026-11-01"),
            privacy_policy_changes=tuple(
                line.strip()
                for line in os.environ.get("MAITRE_AO_PRIVACY_POLICY_CHANGES", "").splitlines()
                if line.strip()
            ),
            privacy_policy_url=os.environ.get(
                "MAITRE_AO_PRIVACY_POLICY_URL", "https://www.maitre-ao.fr/confidentialite"
            ),
            anthropic_api_key=os.environ.get("ANTHROPIC_API_KEY", ""),
            anthropic_upstream_url=os.environ.get("ANTHROPIC_UPSTREAM_URL", "").strip()
            or "https://api.anthropic.com",
            stripe_api_key=os.environ.get("STRIPE_API_KEY", ""),
            stripe_webhook_secret=os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
            stripe_api_base=os.environ.get("STRIPE_API_BASE", ""),
            checkout_success_url=os.environ.get(
                "MAITRE_AO_CHECKOUT_SUCCESS_URL", "https://www.maitre-ao.fr/abonnement/merci"
            ),
            checkout_cancel_url=os.environ.get(
                "MAITRE_AO_CHECKOUT_CANCEL_URL", "https://www.maitre-ao.fr/abonnement"
            ),
        )
