"""Account and sync use cases shared by the CLI and the desktop app.

Login keeps the session tokens in the OS keychain only (one pair per store); the server address, the
e-mail and the account id are kept in the store (`kv`): the sync cursor belongs to that account, so
logging into another account or server makes every record go again. "Supprimer mon compte" erases
the account on the server (GDPR erasure), then optionally wipes this computer's store.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from app.domain.errors import InvalidInput, NotReady, UserError
from app.settings import ACCOUNT_EMAIL, ACCOUNT_SERVER_URL, Settings
from local_store import keychain, portability
from local_store import repo_sync as rs
from local_store.store import Store
from sync import policy
from sync.client import AccountClient, KeychainTokens, Offline, SyncError, check_server_url
from sync.engine import DbLane, SyncEngine, SyncSummary, run_here

log = logging.getLogger(__name__)

TYPE_LABELS: dict[str, tuple[str, str]] = {
    "company_profile": ("profil de l'entreprise", "profils de l'entreprise"),
    "certification": ("certification", "certifications"),
    "reference": ("référence", "références"),
    "staff": ("moyen humain", "moyens humains"),
    "equipment": ("moyen matériel", "moyens matériels"),
    "admin_document": ("document administratif", "documents administratifs"),
    "library_block": ("bloc de bibliothèque", "blocs de bibliothèque"),
    "consultation": ("consultation", "consultations"),
    "proposal": ("mémoire", "mémoires"),
    "section": ("section de mémoire", "sections de mémoire"),
}


def _tokens(store: Store) -> KeychainTokens:
    return _tokens_at(store.path)


def _client(store: Store, server_url: str, transport: httpx.BaseTransport | None) -> AccountClient:
    return AccountClient(server_url, _tokens(store), transport=transport)


class SyncOffline(UserError):
    """The account server could not be reached: every edit stays queued."""


class SyncFailed(UserError):
    """The account server refused or failed the request (its French message)."""


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """The client's French messages, as the app's user errors (offline told apart)."""
    try:
        yield
    except Offline as exc:
        log.info("account server unreachable (%s)", type(exc).__name__)
        raise SyncOffline(exc.message) from exc
    except SyncError as exc:
        log.info("account server request failed (%s)", type(exc).__name__)
        raise SyncFailed(exc.message) from exc


def _server_url(store: Store) -> str:
    url = rs.kv_get(store.read(), rs.ACCOUNT_SERVER_KEY)
    access, _ = _tokens(store).load()
    if not url or not access:
        raise NotReady(
            "Vous n'êtes pas connecté à votre compte Maître AO : maitre-ao login --server URL --email ADRESSE"
        )
    return url


# --- session ----------------------------------------------------------------------------------------------
# The desktop app runs the network half (open_session / close_session: no store access, only the
# keychain tokens of the store file) on its network lane and hands the result to the DB lane
# (remember_session / session_server). The CLI calls login / logout, which do both.
@dataclass(frozen=True)
class Session:
    """What the server said at login."""

    server_url: str
    email: str
    account_id: str
    policy: PolicyInfo | None = None  # its privacy policy, kept by remember_session


def _tokens_at(store_path: Path) -> KeychainTokens:
    return KeychainTokens(scope=keychain.store_key_name(store_path).removeprefix("store-key-"))


def open_session(
    store_path: Path,
    server_url: str,
    email: str,
    password: str,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Session:
    """Network only: log in (tokens go to the keychain, scoped to the store file) and ask who we are."""
    email = email.strip()
    if "@" not in email:
        raise InvalidInput("adresse e-mail invalide.", field="e-mail")
    if not password:
        raise InvalidInput("le mot de passe est vide.", field="mot de passe")
    with _user_errors():
        url = check_server_url(server_url)
        with AccountClient(url, _tokens_at(store_path), transport=transport) as client:
            client.login(email, password)
            me = client.me()
            policy_info = _fetch_policy(client, me)  # a privacy policy version not yet acknowledged
    return Session(url, str(me["email"]), str(me["id"]), policy_info)


def remember_session(store: Store, session: Session, *, settings: Settings | None = None) -> str:
    """Store only: keep the account this store is logged into; returns its e-mail."""
    conn = store.read()
    same_account = (
        rs.kv_get(conn, rs.ACCOUNT_ID_KEY) == session.account_id
        and rs.kv_get(conn, rs.ACCOUNT_SERVER_KEY) == session.server_url
    )
    with store.transaction() as tx:
        if not same_account:
            # Another account or server: its cursor and revisions mean nothing here; everything goes again.
            rs.reset_sync_state(tx, policy.SPECS)
        rs.kv_set(tx, rs.ACCOUNT_SERVER_KEY, session.server_url)
        rs.kv_set(tx, rs.ACCOUNT_EMAIL_KEY, session.email)
        rs.kv_set(tx, rs.ACCOUNT_ID_KEY, session.account_id)
    # The Claude proxy is reached through the same account: its client reads these settings.
    settings = settings or Settings.load()
    settings.set(ACCOUNT_SERVER_URL, session.server_url)
    settings.set(ACCOUNT_EMAIL, session.email)
    _keep_policy(store, session.policy)  # a privacy policy version not yet acknowledged
    log.info("logged in (new account on this store: %s)", not same_account)
    return session.email


def login(
    store: Store,
    server_url: str,
    email: str,
    password: str,
    *,
    transport: httpx.BaseTransport | None = None,
    settings: Settings | None = None,
) -> str:
    """Open a session; returns the account's e-mail. Tokens go to the keychain only."""
    session = open_session(store.path, server_url, email, password, transport=transport)
    return remember_session(store, session, settings=settings)


def session_server(store: Store) -> str | None:
    """Store only: the server this store is logged into (None: never logged in)."""
    return rs.kv_get(store.read(), rs.ACCOUNT_SERVER_KEY)


def close_session(
    store_path: Path, server_url: str | None, *, transport: httpx.BaseTransport | None = None
) -> None:
    """Network only: revoke the session (best effort offline) and forget the tokens. Local data stays."""
    tokens = _tokens_at(store_path)
    if server_url:
        with _user_errors(), AccountClient(server_url, tokens, transport=transport) as client:
            client.logout()
    tokens.clear()


def logout(store: Store, *, transport: httpx.BaseTransport | None = None) -> None:
    """Revoke the session (best effort offline) and forget the tokens. Local data stays."""
    close_session(store.path, session_server(store), transport=transport)


# --- sync ----------------------------------------------------------------------------------------------------
def sync_now(
    store: Store, *, transport: httpx.BaseTransport | None = None, db: DbLane = run_here
) -> SyncSummary:
    """Push local edits, pull the others. Offline: a French error, and every edit stays queued.

    `db` runs each store step where the store lives: the desktop app calls this from its network
    lane and hands the store reads and writes to its DB lane."""
    url = db(lambda: _server_url(store))
    with _user_errors(), _client(store, url, transport) as client:
        summary = SyncEngine(store, client, db=db).sync()
        _check_policy(client, store, db=db)
        return summary


# --- privacy policy versions -------------------------------------------------------------------------------
POLICY_PENDING_KEY = "policy.pending"  # JSON of the PolicyNotice to show (until acknowledged)
POLICY_SEEN_KEY = "policy.acknowledged_version"


@dataclass(frozen=True)
class PolicyInfo:
    """What the server says of its privacy policy and of this account's acknowledgement."""

    version: str
    url: str
    changes: list[str]
    acknowledged_version: str | None


@dataclass(frozen=True)
class PolicyNotice:
    """A privacy policy version the account has not acknowledged yet."""

    version: str
    url: str
    changes: list[str]
    acknowledged_version: str | None  # the one the user saw before (None: never)

    def text(self) -> str:
        head = (
            f"La politique de confidentialité de Maître AO a changé (version du {self.version}"
            + (
                f", vous aviez pris connaissance de celle du {self.acknowledged_version}"
                if self.acknowledged_version
                else ""
            )
            + ")."
        )
        changes = (
            "Ce qui change :\n" + "\n".join(f"- {c}" for c in self.changes)
            if self.changes
            else "Les changements sont décrits dans le texte de la politique."
        )
        return f"{head}\n\n{changes}\n\nTexte complet : {self.url}"


def _changes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line.strip("-• ").strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return []


def _fetch_policy(client: AccountClient, me: dict[str, Any] | None = None) -> PolicyInfo | None:
    """Network only: the server's current policy version and the one this account acknowledged."""
    try:
        current = client.policy()
        version = str(current.get("version") or "")
        if not version:
            return None
        me = me or client.me()
        status = me.get("policy") or {}
        return PolicyInfo(
            version,
            str(current.get("url") or ""),
            _changes(current.get("changes")),
            status.get("acknowledged_version"),
        )
    except (SyncError, ValueError, KeyError, TypeError, AttributeError):
        log.info("privacy policy check skipped")
        return None


def _keep_policy(store: Store, info: PolicyInfo | None) -> PolicyNotice | None:
    """Store only: a version this account has not acknowledged is kept to be shown (pending_policy)
    until acknowledge_policy."""
    if info is None:
        return None
    with store.transaction() as tx:
        if info.acknowledged_version == info.version:
            rs.kv_set(tx, POLICY_SEEN_KEY, info.version)
            tx.execute("DELETE FROM kv WHERE key = ?", (POLICY_PENDING_KEY,))
            return None
        notice = PolicyNotice(info.version, info.url, info.changes, info.acknowledged_version)
        rs.kv_set(tx, POLICY_PENDING_KEY, json.dumps(notice.__dict__, ensure_ascii=False))
    log.info("privacy policy version not yet acknowledged by this account")
    return notice


def _check_policy(client: AccountClient, store: Store, *, db: DbLane = run_here) -> PolicyNotice | None:
    """At sync: read GET /v1/policy (network) and keep a version not yet acknowledged (store, on
    the DB lane). Best effort: never fails the sync."""
    try:
        current = client.policy()
        version = str(current.get("version") or "")
        if not version or db(lambda: rs.kv_get(store.read(), POLICY_SEEN_KEY)) == version:
            return None  # acknowledged here before: no extra request
    except (SyncError, ValueError, KeyError, TypeError, AttributeError):
        log.info("privacy policy check skipped")
        return None
    info = _fetch_policy(client)
    return db(lambda: _keep_policy(store, info))


def pending_policy(store: Store) -> PolicyNotice | None:
    """The privacy policy version to show the user, if any (found at the last login or sync)."""
    value = rs.kv_get(store.read(), POLICY_PENDING_KEY)
    if not value:
        return None
    try:
        data = json.loads(value)
        return PolicyNotice(
            str(data["version"]), str(data["url"]), list(data["changes"]), data.get("acknowledged_version")
        )
    except (ValueError, KeyError, TypeError):
        return None


def acknowledge_policy(store: Store, *, transport: httpx.BaseTransport | None = None) -> None:
    """Tell the server the user has seen the pending version (POST /v1/me/policy-acknowledgement)."""
    notice = pending_policy(store)
    if notice is None:
        return
    url = _server_url(store)
    with _user_errors(), _client(store, url, transport) as client:
        client.acknowledge_policy(notice.version)
    with store.transaction() as tx:
        rs.kv_set(tx, POLICY_SEEN_KEY, notice.version)
        tx.execute("DELETE FROM kv WHERE key = ?", (POLICY_PENDING_KEY,))
    log.info("privacy policy acknowledged")


def _count(n: int, type_: str) -> str:
    singular, plural = TYPE_LABELS.get(type_, (type_, type_))
    return f"{n} {singular if n == 1 else plural}"


def describe(summary: SyncSummary) -> list[str]:
    """French lines saying what was sent and received."""
    lines = []
    sent = ", ".join(_count(n, t) for t, n in sorted(summary.sent.items()))
    received = ", ".join(_count(n, t) for t, n in sorted(summary.received.items()))
    lines.append(f"Envoyé : {summary.total_sent}" + (f" ({sent})" if sent else ""))
    lines.append(f"Reçu : {summary.total_received}" + (f" ({received})" if received else ""))
    if summary.deletions_received:
        lines.append(f"Dont suppressions reçues : {summary.deletions_received}")
    if summary.merged:
        lines.append(f"Fusionnés champ par champ : {summary.merged}")
    if summary.conflicts:
        lines.append(
            f"Conflits : {summary.conflicts} — votre version est gardée en copie, à départager "
            "(maitre-ao conflicts)."
        )
    if summary.held_back:
        lines.append(f"Gardés sur cet ordinateur (synchronisation désactivée) : {summary.held_back}")
    if summary.too_large:
        lines.append(f"Trop volumineux pour être synchronisés : {summary.too_large}")
    if summary.full_compare:
        lines.append("Comparaison complète avec le serveur effectuée.")
    lines.append(f"Échangé : {summary.bytes_sent} octets envoyés, {summary.bytes_received} octets reçus.")
    return lines


@dataclass(frozen=True)
class AccountStatus:
    logged_in: bool
    server_url: str | None
    email: str | None
    last_sync: str | None
    to_send: int
    held_back: int
    open_conflicts: int

    @property
    def line(self) -> str:
        """One short French line for the status bar."""
        return status_line(self)


def status(store: Store) -> AccountStatus:
    conn = store.read()
    access, _ = _tokens(store).load()
    return AccountStatus(
        logged_in=bool(access) and rs.kv_get(conn, rs.ACCOUNT_SERVER_KEY) is not None,
        server_url=rs.kv_get(conn, rs.ACCOUNT_SERVER_KEY),
        email=rs.kv_get(conn, rs.ACCOUNT_EMAIL_KEY),
        last_sync=rs.kv_get(conn, rs.LAST_SYNC_KEY),
        to_send=rs.count_outbox(conn, policy.SPECS),
        held_back=rs.count_held_back(conn, policy.SPECS),
        open_conflicts=rs.count_open_conflicts(conn),
    )


def status_line(st: AccountStatus) -> str:
    """One short French line for the status bar."""
    if not st.logged_in:
        return "Synchronisation : non connecté"
    parts = [
        f"Synchronisé le {st.last_sync[:16].replace('T', ' à ')} UTC"
        if st.last_sync
        else "Jamais synchronisé"
    ]
    if st.to_send:
        parts.append(f"{st.to_send} modification{'s' if st.to_send > 1 else ''} à envoyer")
    if st.open_conflicts:
        parts.append(f"{st.open_conflicts} conflit{'s' if st.open_conflicts > 1 else ''} à départager")
    return " · ".join(parts)


# --- conflicts ------------------------------------------------------------------------------------------------
def list_conflicts(store: Store) -> list[rs.ConflictCopy]:
    return rs.list_conflicts(store)


@dataclass(frozen=True)
class ConflictRow:
    """A conflict copy as shown: this computer's text kept aside while the server's version was applied."""

    id: int
    kind: str  # "bloc de bibliothèque", "section de mémoire"
    title: str
    local_text: str
    server_text: str | None  # None: deleted on another device
    created_at: str = ""


def _record_text(data: dict[str, Any] | None) -> str:
    """A record's user-visible text (its body, else its fields one per line)."""
    if data is None:
        return ""
    body = data.get("body")
    if isinstance(body, str):
        return body
    return "\n".join(f"{k} : {v}" for k, v in sorted(data.items()) if not k.startswith("_"))


def conflict_rows(store: Store) -> list[ConflictRow]:
    """The open conflicts, with the words a user knows (kind of record, title, both texts)."""
    rows = []
    for c in rs.list_conflicts(store):
        spec = policy.BY_TABLE.get(str(c.table_name))
        kind = TYPE_LABELS.get(spec.record_type, (c.table_name, ""))[0] if spec else str(c.table_name)
        local, server = dict(c.local_data), c.server_data
        title = str(local.get("title") or (server or {}).get("title") or kind)
        rows.append(
            ConflictRow(
                id=int(c.id),
                kind=kind,
                title=title,
                local_text=_record_text(local),
                server_text=None if server is None else _record_text(dict(server)),
                created_at=str(c.created_at or ""),
            )
        )
    return rows


Keep = Literal["local", "server"]


def resolve_conflict(store: Store, conflict_id: int, keep: Keep) -> None:
    """Keep the local copy (it becomes an edit, synced next time) or the shared version."""
    if keep not in ("local", "server"):
        raise InvalidInput("choisissez « local » ou « server ».", field="version")
    with store.transaction() as tx:
        conflict = rs.get_conflict(tx, conflict_id)
        if conflict is None or conflict.resolved_at is not None:
            raise InvalidInput(f"aucun conflit ouvert n° {conflict_id}.", field="conflit")
        if keep == "local":
            spec = policy.BY_TABLE[conflict.table_name]
            rs.write_local_edit(tx, spec, conflict.record_uuid, conflict.local_data)
        rs.close_conflict(tx, conflict_id, keep)


# --- what syncs -------------------------------------------------------------------------------------------------
def set_memoire_sync(store: Store, consultation_uuid: str, on: bool) -> None:
    """Turn mémoire (proposals and sections) sync on or off for one consultation."""
    with store.transaction() as tx:
        if not rs.set_sync_sections(tx, consultation_uuid, on):
            raise InvalidInput("Consultation introuvable.", field="consultation")


def set_record_sync(store: Store, table: str, record_uuid: str, *, keep_local: bool) -> None:
    """Keep one record on this computer only (or let it sync again)."""
    spec = policy.BY_TABLE.get(table)
    if spec is None:
        raise InvalidInput(f"« {table} » ne se synchronise pas.", field="type")
    with store.transaction() as tx:
        if not rs.set_opt_out(tx, spec, record_uuid, keep_local):
            raise InvalidInput("Élément introuvable.", field="élément")


# --- "Supprimer mon compte" ---------------------------------------------------------------------------------------
def delete_account(
    store: Store,
    *,
    password: str,
    wipe_local: bool,
    transport: httpx.BaseTransport | None = None,
    db: DbLane = run_here,
) -> None:
    """Erase the account on the server, then forget it here; with `wipe_local`, also delete this
    computer's store (file and key): the store is closed and must not be used afterwards.

    The server erases only for a session opened with the password minutes ago, so the password is asked
    again and a fresh session opened first: a token left open on this computer is not enough.
    `db` runs the store steps where the store lives (see sync_now)."""
    if not password:
        raise InvalidInput("le mot de passe est vide.", field="mot de passe")
    url, email = db(lambda: (_server_url(store), rs.kv_get(store.read(), rs.ACCOUNT_EMAIL_KEY)))
    if not email:
        raise InvalidInput("aucun compte n'est connecté sur cet ordinateur.", field="compte")
    with _user_errors(), _client(store, url, transport) as client:
        client.login(email, password)
        client.delete_account()
    _tokens(store).clear()
    db(lambda: _forget_account(store, wipe_local))
    log.info("account erased on the server (local wipe: %s)", wipe_local)


def _forget_account(store: Store, wipe_local: bool) -> None:
    """Store only: no account here any more; with `wipe_local`, the store itself goes."""
    with store.transaction() as tx:
        rs.reset_sync_state(tx, policy.SPECS)
        for key in (rs.ACCOUNT_SERVER_KEY, rs.ACCOUNT_EMAIL_KEY, rs.ACCOUNT_ID_KEY):
            rs.kv_delete(tx, key)
    if wipe_local:
        path = store.path
        store.close()
        portability.erase_store(path)


def memoire_sync(store: Store, consultation_uuid: str) -> bool:
    """Whether the mémoire of this consultation syncs (the switch's current state)."""
    on = rs.sync_sections(store.read(), consultation_uuid)
    if on is None:
        raise InvalidInput("Consultation introuvable.", field="consultation")
    return on


def local_only(store: Store, table: str) -> set[str]:
    """Ids of the records of `table` the user keeps on this computer only ("Ne pas synchroniser")."""
    spec = policy.BY_TABLE.get(table)
    if spec is None:
        raise InvalidInput(f"« {table} » ne se synchronise pas.", field="type")
    return rs.opted_out(store.read(), spec)
