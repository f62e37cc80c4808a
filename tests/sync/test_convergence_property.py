"""Property: random edits on three devices, with faults injected at the network edge (connection
dropped before the server committed, dropped after it committed so the answer is lost, duplicated
requests, a server restart), always converge once the network is back, and no edit is lost: every
piece of text typed on any device ends up in the shared version or in a conflict copy (unless the
record it was typed into was deleted: by the same device after typing it, or anywhere in the end)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.profile import CompanyProfile
from local_store import repo_consultations, repo_library, repo_profile, repo_proposals, repo_sync
from sync.client import SyncError
from tests.sync.conftest import Device, LiveServer, new_account, new_device

pytestmark = pytest.mark.postgres

FAULTS = ["", "", "drop_before", "drop_after", "duplicate"]
FIELDS = ["email", "telephone", "site_web"]

device_ix = st.integers(0, 2)
step = st.one_of(
    st.tuples(st.just("edit"), device_ix, st.integers(0, 20)),
    st.tuples(st.just("create"), device_ix, st.just(0)),
    st.tuples(st.just("delete"), device_ix, st.integers(0, 20)),
    st.tuples(st.just("profile"), device_ix, st.integers(0, len(FIELDS) - 1)),
    st.tuples(st.just("section"), device_ix, st.integers(0, 3)),
    st.tuples(st.just("sync"), device_ix, st.lists(st.sampled_from(FAULTS), max_size=4)),
    st.tuples(st.just("answers_lost"), device_ix, st.just(0)),
    st.tuples(st.just("restart"), device_ix, st.just(0)),
)


def live_blocks(device: Device) -> dict[str, tuple[str, str]]:
    return {b.uuid: (b.title, b.body) for b in repo_library.list_blocks(device.store)}


def live_sections(device: Device, proposal_uuid: str) -> dict[str, str]:
    return {s.uuid: s.body for s in repo_proposals.list_sections(device.store, proposal_uuid)}


def try_sync(device: Device, faults: list[str]) -> None:
    device.transport.faults = list(faults)
    try:
        device.sync()
    except SyncError:
        pass  # offline: the edits stay queued
    finally:
        device.transport.faults = []


@pytest.fixture(scope="module")
def live(pg_server: LiveServer) -> LiveServer:
    return pg_server


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=4, max_size=22))
def test_three_devices_converge_under_faults(live: LiveServer, steps: list[tuple[str, int, Any]]) -> None:
    account = new_account(live)
    folder = Path(tempfile.mkdtemp(prefix="sync-prop-"))
    devices = [new_device(folder, name, live, account) for name in ("a", "b", "c")]
    tokens: dict[str, str] = {}  # text typed → uuid of the block it was typed into
    counter = 0
    try:
        first = repo_library.add_block(devices[0].store, "Bloc initial", "t0")
        tokens["t0"] = first.uuid
        repo_profile.save_profile(
            devices[0].store, CompanyProfile(raison_sociale="Durand SARL", siret="73282932000074")
        )
        # A mémoire shared between the devices (sync turned on for its consultation).
        with devices[0].store.transaction() as tx:
            cid = repo_consultations.create(tx, title="Gymnase", source_name=None)
            repo_sync.set_sync_sections(tx, cid, True)
        proposal = repo_proposals.get_or_create_proposal(devices[0].store, cid)
        outline = [repo_proposals.NewSection("Organisation", 1), repo_proposals.NewSection("Moyens", 1)]
        for section in repo_proposals.save_outline(devices[0].store, proposal.uuid, outline):
            repo_proposals.save_section_body(devices[0].store, section.uuid, f"s{section.position}", "manual")
            tokens[f"s{section.position}"] = section.uuid
        for device in devices:
            device.sync()
        for action, ix, arg in steps:
            device = devices[ix]
            counter += 1
            token = f"t{counter}"
            if action in {"edit", "delete"}:
                blocks = sorted(live_blocks(device))
                if not blocks:
                    continue
                target = blocks[arg % len(blocks)]
                if action == "edit":
                    body = repo_library.get_block(device.store, target).body
                    repo_library.update_block(device.store, target, body=f"{body} {token}")
                    tokens[token] = target
                else:
                    # What this device had in the block is discarded by the user: no longer owed.
                    for word in repo_library.get_block(device.store, target).body.split():
                        tokens.pop(word, None)
                    repo_library.delete_block(device.store, target)
            elif action == "create":
                tokens[token] = repo_library.add_block(device.store, f"Bloc {token}", token).uuid
            elif action == "section":
                sections = sorted(live_sections(device, proposal.uuid).items())
                target, body = sections[arg % len(sections)]
                repo_proposals.save_section_body(device.store, target, f"{body} {token}", "manual")
                tokens[token] = target
            elif action == "profile":
                profile = repo_profile.load_profile(device.store)
                assert profile is not None
                value = f"{token}@durand.fr" if FIELDS[arg] == "email" else token
                repo_profile.save_profile(device.store, profile.model_copy(update={FIELDS[arg]: value}))
            elif action == "sync":
                try_sync(device, arg)
            elif action == "answers_lost":
                try_sync(device, ["drop_after"] * 8)  # more than the retries: the batch stays pending
            elif action == "restart":
                live.stop()
                try_sync(device, [])  # the server is down: nothing is lost, the edits wait
                live.start()

        for _ in range(3):
            for device in devices:
                device.sync()

        # Converged: same blocks and same profile everywhere, nothing left to send.
        reference = live_blocks(devices[0])
        profiles = [repo_profile.load_profile(d.store) for d in devices]
        for device, profile in zip(devices, profiles, strict=True):
            assert live_blocks(device) == reference, device.name
            assert live_sections(device, proposal.uuid) == live_sections(devices[0], proposal.uuid)
            assert profile == profiles[0], device.name
            assert repo_sync.count_outbox(device.store.read(), device.engine.specs) == 0
            assert repo_sync.kv_get(device.store.read(), repo_sync.PENDING_PUSH_KEY) is None
        # The server holds exactly that.
        records, cursor = [], None
        while True:
            page = devices[0].client.pull(cursor, 500)
            records += page.records
            cursor = page.next_cursor
            if not page.has_more:
                break
        on_server = {
            str(r.id): (r.data or {}).get("body")
            for r in records
            if r.type == "library_block" and not r.deleted
        }
        assert on_server == {uid: body for uid, (_title, body) in reference.items()}

        # Nothing lost: every typed token is in a shared text or in a conflict copy, unless its block
        # was deleted.
        shared = live_sections(devices[0], proposal.uuid)
        kept = " ".join([*(body for _t, body in reference.values()), *shared.values()]).split()
        copies = [
            str(c.local_data.get("body", ""))
            for d in devices
            for c in repo_sync.list_conflicts(d.store, include_resolved=True)
        ]
        kept_in_copies = " ".join(copies).split()
        for token, block_uuid in tokens.items():
            if block_uuid not in reference and block_uuid not in shared:
                continue
            assert token in kept or token in kept_in_copies, (token, block_uuid)
    finally:
        if not live.running:  # a failed step must not leave the shared server down
            live.start()
        for device in devices:
            device.client.close()
            device.store.close()
