"""The one exception tree of mailops.

Every error the library raises on purpose is a ``MailopsError``. Messages are written for the
person operating the procedure, in Spanish, and say what failed, on which item, and what to do.

::

    MailopsError
    ├── SettingsError            a setting is missing or malformed (carries ``key``)
    ├── InputError               bad input from a person: form, parameter, file (carries ``where``)
    ├── WorkspaceError           Google (or the emulator) answered with an error
    │   │                        (carries ``status``, ``reason``, ``message``, ``item``)
    │   ├── NotFoundError            404 notFound, userNotFound, groupNotFound ...
    │   ├── AlreadyExistsError       409 duplicate
    │   ├── InvalidRequestError      400 invalid, badRequest, required ...
    │   ├── ConditionNotMetError     412 conditionNotMet, "User creation is not complete"
    │   ├── ForbiddenError           403 forbidden, 401 unauthorized
    │   ├── RateLimitedError         429 rateLimitExceeded, 403 userRateLimitExceeded ...
    │   └── UnavailableError         5xx, outages, network failures
    └── EmulatorError            the local emulator could not start or was misused

Programmer errors (a broken procedure definition, a misuse of an API) derive from
``DefinitionError``, which is apart from the operational tree: they are bugs, not conditions an
operator can fix.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExistsError",
    "ConditionNotMetError",
    "DefinitionError",
    "EmulatorError",
    "ForbiddenError",
    "InputError",
    "InvalidRequestError",
    "MailopsError",
    "NotFoundError",
    "RateLimitedError",
    "SettingsError",
    "UnavailableError",
    "WorkspaceError",
]


class MailopsError(Exception):
    """Root of every operational error raised by mailops."""


class SettingsError(MailopsError):
    """A setting is missing or malformed; ``key`` names it as written in mailops.toml."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"Configuración inválida «{key}»: {message}")


class InputError(MailopsError):
    """Bad input from a person. ``where`` says where (file, row, column, parameter)."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        self.detail = message
        super().__init__(f"{where}: {message}" if where else message)


class WorkspaceError(MailopsError):
    """Google Workspace (or the emulator) refused a call.

    ``status`` is the HTTP status (0 for network failures), ``reason`` Google's machine reason
    (``duplicate``, ``notFound``, ``userRateLimitExceeded`` ...), ``message`` Google's own text
    and ``item`` what the call was about (an address, a group), when known.
    """

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        item: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.reason = reason
        self.message = message
        self.item = item
        self.retry_after = retry_after
        super().__init__(self._spanish())

    def _spanish(self) -> str:
        about = f" ({self.item})" if self.item else ""
        return (
            f"{self.summary}{about}: Google respondió {self.status} {self.reason} «{self.message}»"
        )

    summary = "Google Workspace rechazó la operación"


class NotFoundError(WorkspaceError):
    summary = "No existe"


class AlreadyExistsError(WorkspaceError):
    summary = "Ya existe"


class InvalidRequestError(WorkspaceError):
    summary = "Solicitud inválida"


class ConditionNotMetError(WorkspaceError):
    summary = "No se cumple una condición previa"


class ForbiddenError(WorkspaceError):
    summary = "Sin permiso (revise los privilegios del administrador delegado)"


class RateLimitedError(WorkspaceError):
    summary = "Límite de cuota de Google alcanzado"


class UnavailableError(WorkspaceError):
    summary = "Servicio no disponible"


class EmulatorError(MailopsError):
    """The local emulator could not start, or was asked something it cannot do."""


class DefinitionError(Exception):
    """A programmer error: a definition (procedure, mapping, table) is inconsistent."""
