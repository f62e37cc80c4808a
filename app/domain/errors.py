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


class KeychainUnavailable(UserError):
    """The OS keychain does not keep secrets: the store key would be lost."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or (
                "Le trousseau du système ne conserve pas les secrets (aucun trousseau disponible "
                "ou trousseau verrouillé) : la clé du coffre serait perdue. Déverrouillez le trousseau, "
                "ou protégez le coffre par une phrase secrète : maitre-ao store init --passphrase"
            )
        )


class KeychainUnreachable(KeychainUnavailable):
    """No keychain answered (no Secret Service, D-Bus down, no backend): not the same as "no key"."""

    def __init__(self) -> None:
        super().__init__(
            "Le trousseau du système est injoignable (service absent ou arrêté) : la clé du coffre "
            "ne peut pas être lue. Vos données sont intactes ; redémarrez la session ou ouvrez le coffre "
            "avec votre clé de secours (maitre-ao store unlock)."
        )


class KeychainRefused(KeychainUnavailable):
    """The keychain is locked and the user (or the system) refused to unlock it."""

    def __init__(self) -> None:
        super().__init__(
            "Le trousseau du système a refusé l'accès (trousseau verrouillé ou autorisation refusée). "
            "Déverrouillez-le puis réessayez ; vos données sont intactes."
        )


# Families of what a user can meet, so callers (and tests) tell them apart without reading the
# French text. Each keeps UserError's exit code unless said otherwise.
class NotFound(UserError):
    """Something the user named does not exist (a file, a section, a block, a document…)."""


class NotReady(UserError):
    """A step must come first: the analysis, the company profile, the login, the passphrase…"""


class NotPossible(UserError):
    """The action cannot be done in this state or version (nothing the user typed is wrong)."""


class BackupRefused(UserError):
    """A backup that cannot be read or restored; nothing was changed."""


class ExternalToolFailed(UserError):
    """A program the app relies on (LibreOffice) is missing or failed."""
