"""Errors the user sees: a French message and the CLI's exit code. Log lines stay in English."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_INVALID = 4
EXIT_NO_STORE = 5


class UserError(Exception):
    """An error with a French message meant for the user."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field} : {self.message}" if self.field else self.message


class StoreLocked(UserError):
    """The store exists but its key is missing or wrong (exit 3)."""

    exit_code = EXIT_LOCKED


class InvalidInput(UserError):
    """Input rejected, with the field and the reason (exit 4)."""

    exit_code = EXIT_INVALID


class NoStoreYet(UserError):
    """No store exists yet in the data folder (exit 5): `maitre-ao store init` creates it."""

    exit_code = EXIT_NO_STORE


class UsageError(UserError):
    exit_code = EXIT_USAGE
