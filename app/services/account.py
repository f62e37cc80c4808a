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
from typing import Any, Literal

import httpx

from app.domain.errors import InvalidInput, UserError
from app.settings import ACCOUNT_EMAIL, ACCOUNT_SERVER_URL, Settings
from local_store import keychain
from local_store import repo_sync as rs
from local_store.store import Store, keymode_path, sidecar_paths
from sync import policy
from sync.client import AccountClient, KeychainTokens, SyncError, check_server_url
from sync.engine import SyncEngine, SyncSummary

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
    return KeychainTokens(scope=keychain.store_key_name(store.path).removeprefix("store-key-"))


def _client(store: Store, server_url: str, transport: httpx.BaseTransport | None) -> AccountClient:
    return AccountClient(server_url, _tokens(store), transport=transport)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """The client's French messages, as the app's user errors."""
    try:
        yield
    except SyncError as exc:
        raise UserError(exc.message) from None


def _server_url(store: Store) -> str:
    url = rs.kv_get(store.read(), rs.ACCOUNT_SERVER_KEY)
    access, _ = _tokens(store).load()
    if not url or not access:
        raise UserError(
            "Vous n'êtes pas connecté à votre compte Maître AO : maitre-ao login --server URL --email ADRESSE"
        )
    return url


# --- session ----------------------------------------------------------------------------------------------
def login(
    store: Store, server_url: str, email: str, password: str, *, transport: httpx.BaseTransport | None = None
) -> str:
    """Open a session; returns the account's e-mail. Tokens go to the keychain only."""
    email = email.strip()
    if "@" not in email:
        raise InvalidInput("adresse e-mail invalide.", field="e-mail")
    if not password:
        raise InvalidInput("le mot de passe est vide.", field="mot de passe")
    with _user_errors():
        url = check_server_url(server_url)
        with _client(store, url, transport) as client:
            client.login(email, password)
            me = client.me()
            _check_policy(client, store, me)  # a privacy policy version not yet acknowledged
    conn = store.read()
    same_account = (
        rs.kv_get(conn, rs.ACCOUNT_ID_KEY) == me["id"] and rs.kv_get(conn, rs.ACCOUNT_SERVER_KEY) == url
    )
    with store.transaction() as tx:
        if not same_account:
            # Another account or server: its cursor and revisions mean nothing here; everything goes again.
            rs.reset_sync_state(tx, policy.SPECS)
        rs.kv_set(tx, rs.ACCOUNT_SERVER_KEY, url)
        rs.kv_set(tx, rs.ACCOUNT_EMAIL_KEY, str(me["email"]))
        rs.kv_set(tx, rs.ACCOUNT_ID_KEY, str(me["id"]))
    # The Claude proxy is reached through the same account: its client reads these settings.
    settings = Settings.load()
    settings.set(ACCOUNT_SERVER_URL, url)
    settings.set(ACCOUNT_EMAIL, str(me["email"]))
    log.info("logged in (new account on this store: %s)", not same_account)
    return str(me["email"])


def logout(store: Store, *, transport: httpx.BaseTransport | None = None) -> None:
    """Revoke the session (best effort offline) and forget the tokens. Local data stays."""
    url = rs.kv_get(store.read(), rs.ACCOUNT_SERVER_KEY)
    tokens = _tokens(store)
    if url:
        with _user_errors(), _client(store, url, transport) as client:
            client.logout()
    tokens.clear()


# --- sync ----------------------------------------------------------------------------------------------------
def sync_now(store: Store, *, transport: httpx.BaseTransport | None = None) -> SyncSummary:
    """Push local edits, pull the others. Offline: a French error, and every edit stays queued."""
    url = _server_url(store)
    with _user_errors(), _client(store, url, transport) as client:
        summary = SyncEngine(store, client).sync()
        _check_policy(client, store)
        return summary


# --- privacy policy versions -------------------------------------------------------------------------------
POLICY_PENDING_KEY = "policy.pending"  # JSON of the PolicyNotice to show (until acknowledged)
POLICY_SEEN_KEY = "policy.acknowledged_version"


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


def _check_policy(
    client: AccountClient, store: Store, me: dict[str, Any] | None = None
) -> PolicyNotice | None:
    """At login and sync: read GET /v1/policy; a version this account has not acknowledged is kept
    to be shown (pending_policy) until acknowledge_policy. Best effort: never fails the sync."""
    try:
        current = client.policy()
        version = str(current.get("version") or "")
        if not version:
            return None
        conn = store.read()
        if me is None and rs.kv_get(conn, POLICY_SEEN_KEY) == version:
            return None  # acknowledged here before: no extra request
        me = me or client.me()
        status = me.get("policy") or {}
        acknowledged = status.get("acknowledged_version")
        with store.transaction() as tx:
            if acknowledged == version:
                rs.kv_set(tx, POLICY_SEEN_KEY, version)
                tx.execute("DELETE FROM kv WHERE key = ?", (POLICY_PENDING_KEY,))
                return None
            notice = PolicyNotice(
                version, str(current.get("url") or ""), _changes(current.get("changes")), acknowledged
            )
            rs.kv_set(tx, POLICY_PENDING_KEY, json.dumps(notice.__dict__, ensure_ascii=False))
        log.info("privacy policy version not yet acknowledged by this account")
        return notice
    except (SyncError, ValueError, KeyError, TypeError, AttributeError):
        log.info("privacy policy check skipped")
        return None


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


def resolve_conflict(store: Store, conflict_id: int, keep: Literal["local", "server"]) -> None:
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
    store: Store, *, password: str, wipe_local: bool, transport: httpx.BaseTransport | None = None
) -> None:
    """Erase the account on the server, then forget it here; with `wipe_local`, also delete this
    computer's store (file and key): the store is closed and must not be used afterwards.

    The server erases only for a session opened with the password minutes ago, so the password is asked
    again and a fresh session opened first: a token left open on this computer is not enough."""
    if not password:
        raise InvalidInput("le mot de passe est vide.", field="mot de passe")
    url = _server_url(store)
    email = rs.kv_get(store.read(), rs.ACCOUNT_EMAIL_KEY)
    if not email:
        raise InvalidInput("aucun compte n'est connecté sur cet ordinateur.", field="compte")
    with _user_errors(), _client(store, url, transport) as client:
        client.login(email, password)
        client.delete_account()
    _tokens(store).clear()
    with store.transaction() as tx:
        rs.reset_sync_state(tx, policy.SPECS)
        for key in (rs.ACCOUNT_SERVER_KEY, rs.ACCOUNT_EMAIL_KEY, rs.ACCOUNT_ID_KEY):
            rs.kv_delete(tx, key)
    log.info("account erased on the server (local wipe: %s)", wipe_local)
    if wipe_local:
        path = store.path
        store.close()
        for file in [*sidecar_paths(path), keymode_path(path)]:
            with contextlib.suppress(FileNotFoundError):
                file.unlink()
        keychain.delete_secret(keychain.store_key_name(path))


def memoire_sync(store: Store, consultation_uuid: str) -> bool:
    """Whether the mémoire of this consultation syncs (the switch's current state)."""
    row = (
        store.read()
        .execute(
            "SELECT sync_sections FROM consultations WHERE uuid = ? AND deleted = 0", (consultation_uuid,)
        )
        .fetchone()
    )
    if row is None:
        raise InvalidInput("Consultation introuvable.", field="consultation")
    return bool(row[0])


def local_only(store: Store, table: str) -> set[str]:
    """Ids of the records of `table` the user keeps on this computer only ("Ne pas synchroniser")."""
    spec = policy.BY_TABLE.get(table)
    if spec is None:
        raise InvalidInput(f"« {table} » ne se synchronise pas.", field="type")
    rows = store.read().execute(f"SELECT uuid FROM {spec.table} WHERE sync_opt_out = 1 AND deleted = 0")
    return {str(r[0]) for r in rows}
