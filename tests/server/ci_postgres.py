"""pytest plugin for CI: with CI=true, a test skipped because PostgreSQL is unreachable *fails* instead.

`.ci/run` loads it for the whole suite (PYTEST_ADDOPTS="-p tests.server.ci_postgres"), so the
PostgreSQL tests of every folder (server, sync convergence) never pass silently as skipped in CI.
tests/server/conftest.py applies the same rule to its own fixtures without the plugin.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def is_postgres_skip(reason: str) -> bool:
    return "postgres" in reason.lower()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (in_ci() and report.skipped) or getattr(report, "wasxfail", None) is not None:
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    if is_postgres_skip(str(reason)):
        report.outcome = "failed"
        report.longrepr = f"CI=true: PostgreSQL tests may not skip ({reason})"
