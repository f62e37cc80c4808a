"""Request and answer models of the account API (the sync ones live in sync/protocol.py)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from server.security import BCRYPT_MAX_BYTES

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean_text(value: str) -> str:
    # Control characters (NUL above all: PostgreSQL refuses it) have no place in names or e-mails.
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("caractères de contrôle interdits")
    value = value.strip()
    if not value:
        raise ValueError("ne peut pas être vide")
    return value


def _no_control(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("caractères de contrôle interdits")
    return value


def normalize_email(value: str) -> str:
    """One spelling per address before any lookup or uniqueness check: Unicode NFC (the same "é" typed
    composed or decomposed), the local part lower-cased as before, the domain case-folded."""
    local, at, domain = unicodedata.normalize("NFC", value.strip()).rpartition("@")
    if not at:
        return unicodedata.normalize("NFC", value.strip()).lower()
    return f"{local.lower()}@{domain.casefold()}"


def _email(value: str) -> str:
    value = normalize_email(_clean_text(value))
    if not _EMAIL.match(value) or len(value) > 254:
        raise ValueError("adresse e-mail invalide")
    return value


def _password(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("caractères de contrôle interdits")
    if len(value) < 12:
        raise ValueError("le mot de passe doit contenir au moins 12 caractères")
    if len(value.encode("utf-8")) > BCRYPT_MAX_BYTES:
        raise ValueError(f"le mot de passe ne doit pas dépasser {BCRYPT_MAX_BYTES} octets")
    return value


Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_clean_text)]
Email = Annotated[
    str,
    Field(min_length=3, max_length=254, pattern=r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"),
    AfterValidator(_email),
]
NewPassword = Annotated[str, Field(min_length=12, max_length=BCRYPT_MAX_BYTES), AfterValidator(_password)]
AnyPassword = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control)]
# Short free strings: control characters (NUL above all: PostgreSQL refuses it) are refused.
Text = Annotated[str, AfterValidator(_no_control)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignUp(_In):
    email: Email
    password: NewPassword
    first_name: Name
    last_name: Name


Token = Annotated[Text, Field(min_length=1, max_length=200)]


class Login(_In):
    email: Annotated[Text, Field(min_length=1, max_length=254)]
    password: AnyPassword
    device: Annotated[Text, Field(max_length=200)] | None = None
    # A device already known (its unexpired refresh token of this account) or the link e-mailed to the
    # owner of an address under attack: either lets the owner in while the address is held back.
    refresh_token: Token | None = None
    unlock_token: Token | None = None


class Refresh(_In):
    refresh_token: Annotated[Text, Field(min_length=1, max_length=200)]


class AccountPatch(_In):
    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None


class EmailConfirmation(_In):
    token: Token


class PasswordChange(_In):
    current_password: AnyPassword
    new_password: NewPassword


class Flag(_In):
    active: bool


class PolicyAck(_In):
    version: Annotated[Text, Field(min_length=1, max_length=32)]


class CheckoutRequest(_In):
    plan: Annotated[Text, Field(min_length=1, max_length=32)]


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_at: datetime
    refresh_expires_at: datetime
    session_id: str


class PlanOut(BaseModel):
    code: str
    name: str
    monthly_tokens: int
    sync_enabled: bool
    max_sessions: int
    price_cents: int


class PolicyOut(BaseModel):
    version: str
    url: str
    changes: list[str]  # what changed in this version (French), for the notice before acknowledging


class PolicyStatus(BaseModel):
    current_version: str
    acknowledged_version: str | None
    acknowledged_at: datetime | None
    up_to_date: bool


class Me(BaseModel):
    id: str
    email: str
    first_name: str
    last_name: str
    created_at: datetime
    plan: PlanOut
    subscription_status: str
    restricted: bool
    objected: bool
    policy: PolicyStatus


class SessionOut(BaseModel):
    id: str
    device: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool


class UsageOut(BaseModel):
    month: str
    plan: str
    monthly_tokens: int
    used_tokens: int
    requests: int
    input_tokens: int
    output_tokens: int
    cache_creation_tokens: int
    cache_read_tokens: int


class WebhookAck(BaseModel):
    status: Literal["ok", "duplicate"]


class CheckoutOut(BaseModel):
    id: str
    url: str


class Export(BaseModel):
    """Everything the service holds about the account (right of access and portability)."""

    exported_at: datetime
    retention: dict[str, Any]
    account: dict[str, Any]
    sessions: list[dict[str, Any]]
    connection_log: list[dict[str, Any]]
    sync_records: list[dict[str, Any]]
    usage: list[dict[str, Any]]
    usage_statistics: list[dict[str, Any]]
    billing_records: list[dict[str, Any]]
