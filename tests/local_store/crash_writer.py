"""Child process for test_crash: commits numbered rows in a loop and prints each id once committed."""

from __future__ import annotations

import hashlib
import os
import sys

from local_store.store import open_store


def main() -> None:
    store = open_store()
    i = 0
    while True:
        i += 1
        payload = os.urandom(16_000)  # big rows: the WAL grows and checkpoints happen mid-loop
        sha = hashlib.sha256(payload).hexdigest()
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha, len(payload), payload)
            )
            conn.execute("INSERT INTO kv(key, value) VALUES (?, ?)", (f"row-{i}", sha))
        sys.stdout.write(f"{i}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
