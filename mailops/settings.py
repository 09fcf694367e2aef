"""One ``Settings`` object, read from ``mailops.toml`` and ``MAILOPS_*`` environment variables.

Lookup order (later wins): built-in defaults (which run the embedded emulator), the
``mailops.toml`` found at ``MAILOPS_CONFIG`` or in the working directory or one of its parents,
then environment variables. Relative paths in the file are relative to the file's folder.

Example ``mailops.toml``::

    backend = "emulator"            # or "google"
    primary_domain = "cajica.example"
    customer_id = "my_customer"
    delegated_admin = "admin@cajica.example"
    service_account_key = ""        # path to the JSON key (google backend only)
    state_dir = ".mailops"
    archive_root = "reports/archive"
    emulator_url = ""               # a running `mailops emulator serve`; empty = in-process

    [domains]                       # every domain and its origin
    "cajica.example" = "municipio"  # contracted by the municipality
    "cajica.gov.example" = "gel"    # Gobierno en Línea

    [contract]                      # what the office records of its subscription (activity 1)
    number = "CD-TICS-045-2026"
    provider = "Google Cloud Colombia (distribuidor autorizado)"
    product = "Google Workspace for Education Fundamentals"
    start = 2026-02-01
    end = 2027-01-31
    warn_days = 45                  # warn this many days before the end
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from mailops.errors import SettingsError

__all__ = ["CONFIG_FILENAME", "Contract", "Domain", "Settings", "load_settings"]

CONFIG_FILENAME = "mailops.toml"

Backend = Literal["emulator", "google"]
Origin = Literal["municipio", "gel"]

ORIGIN_LABELS: dict[str, str] = {
    "municipio": "dominio contratado por la Administración Municipal",
    "gel": "dominio de Gobierno en Línea",
}

_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@([a-z0-9-]+\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Domain:
    """A domain of the Workspace account and who it belongs to."""

    name: str
    origin: Origin

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS[self.origin]


@dataclass(frozen=True)
class Contract:
    """The e-mail service contract as the office records it (activity 1)."""

    number: str
    provider: str
    end: date
    start: date | None = None
    product: str = "Google Workspace"
    warn_days: int = 30

    def days_left(self, today: date) -> int:
        return (self.end - today).days


@dataclass(frozen=True)
class Settings:
    """Everything mailops needs to know about where and how to work.

    The defaults run the embedded emulator on the demo domain, so that a notebook or the CLI
    works with nothing configured.
    """

    backend: Backend = "emulator"
    primary_domain: str = "cajica.example"
    domains: tuple[Domain, ...] = (
        Domain("cajica.example", "municipio"),
        Domain("cajica.gov.example", "gel"),
    )
    customer_id: str = "my_customer"
    delegated_admin: str = "admin@cajica.example"
    service_account_key: Path | None = None
    state_dir: Path = Path(".mailops")
    archive_root: Path = Path("reports/archive")
    emulator_url: str | None = None
    quota_per_minute: int = 2400
    batch_size: int = 50
    max_tries: int = 8
    contract: Contract | None = None
    status_feed_url: str | None = None
    test_mailbox: str | None = None
    source: Path | None = field(default=None, compare=False)

    @property
    def emulator_state_file(self) -> Path:
        """The SQLite file the in-process emulator keeps its domain in."""
        return self.state_dir / "emulator.sqlite3"

    @property
    def reports_root(self) -> Path:
        """Where generated reports go: the parent of the archive root."""
        return self.archive_root.parent

    @property
    def activation_mailbox(self) -> str:
        """The mailbox activation tests send to (``test_mailbox``, else the delegated admin)."""
        return self.test_mailbox or self.delegated_admin

    def domain(self, name: str) -> Domain:
        for d in self.domains:
            if d.name == name.lower():
                return d
        known = ", ".join(d.name for d in self.domains)
        raise SettingsError(
            "domains", f"el dominio «{name}» no está configurado (conocidos: {known})"
        )

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed, validated again."""
        return _validate(replace(self, **changes))


def _find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(str(path), f"el archivo no es TOML válido: {exc}") from exc
    except OSError as exc:
        raise SettingsError(str(path), f"no se pudo leer el archivo: {exc.strerror}") from exc


def _as_str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(key, f"debe ser un texto, no {type(value).__name__} ({value!r})")
    return value.strip()


def _as_int(key: str, value: Any, *, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise SettingsError(key, f"debe ser un número entero, no {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SettingsError(key, f"debe ser un número entero, no {value!r}") from None
    if not low <= number <= high:
        raise SettingsError(key, f"debe estar entre {low} y {high} (se leyó {number})")
    return number


def _as_path(key: str, value: Any, base: Path) -> Path:
    text = _as_str(key, value)
    if not text:
        raise SettingsError(key, "no puede estar vacío")
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


def _parse_domains(raw: Any) -> tuple[Domain, ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise SettingsError(
            "domains",
            'debe ser una tabla no vacía dominio = origen, p. ej. "cajica.example" = "municipio"',
        )
    out: list[Domain] = []
    for name, origin in raw.items():
        key = f"domains.{name}"
        if not _DOMAIN_RE.match(str(name).lower()):
            raise SettingsError(key, f"«{name}» no es un nombre de dominio válido")
        if origin not in ORIGIN_LABELS:
            raise SettingsError(key, f"el origen debe ser «municipio» o «gel», no {origin!r}")
        out.append(Domain(str(name).lower(), origin))
    return tuple(out)


_FILE_KEYS = {
    "backend",
    "primary_domain",
    "domains",
    "customer_id",
    "delegated_admin",
    "service_account_key",
    "state_dir",
    "archive_root",
    "emulator_url",
    "quota_per_minute",
    "batch_size",
    "max_tries",
    "contract",
    "status_feed_url",
    "test_mailbox",
}

_ENV_KEYS = {
    "MAILOPS_BACKEND": "backend",
    "MAILOPS_PRIMARY_DOMAIN": "primary_domain",
    "MAILOPS_CUSTOMER_ID": "customer_id",
    "MAILOPS_DELEGATED_ADMIN": "delegated_admin",
    "MAILOPS_SERVICE_ACCOUNT_KEY": "service_account_key",
    "MAILOPS_STATE_DIR": "state_dir",
    "MAILOPS_ARCHIVE_ROOT": "archive_root",
    "MAILOPS_EMULATOR_URL": "emulator_url",
    "MAILOPS_QUOTA_PER_MINUTE": "quota_per_minute",
    "MAILOPS_BATCH_SIZE": "batch_size",
    "MAILOPS_MAX_TRIES": "max_tries",
    "MAILOPS_STATUS_FEED_URL": "status_feed_url",
    "MAILOPS_TEST_MAILBOX": "test_mailbox",
}


def load_settings(
    path: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read the settings.

    ``path`` names a ``mailops.toml``; without it ``MAILOPS_CONFIG`` or the nearest
    ``mailops.toml`` from ``cwd`` upwards is used, and with none the defaults apply.
    ``env`` defaults to ``os.environ``. Raises ``SettingsError`` naming the bad key.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    config: Path | None
    if path is not None:
        config = Path(path)
        if not config.is_file():
            raise SettingsError("MAILOPS_CONFIG", f"no existe el archivo de configuración {config}")
    elif env.get("MAILOPS_CONFIG"):
        config = Path(env["MAILOPS_CONFIG"])
        if not config.is_file():
            raise SettingsError("MAILOPS_CONFIG", f"no existe el archivo de configuración {config}")
    else:
        config = _find_config(cwd)

    raw: dict[str, Any] = {}
    base = cwd
    if config is not None:
        raw = _read_toml(config)
        base = config.resolve().parent
        unknown = sorted(set(raw) - _FILE_KEYS)
        if unknown:
            raise SettingsError(
                unknown[0],
                f"clave desconocida en {config.name} (válidas: {', '.join(sorted(_FILE_KEYS))})",
            )
    values: dict[str, tuple[Any, Path]] = {k: (v, base) for k, v in raw.items()}
    for env_key, key in _ENV_KEYS.items():
        if env_key in env:
            values[key] = (env[env_key], cwd)
    return _build(values, config, cwd)


_CONTRACT_KEYS = {"number", "provider", "product", "start", "end", "warn_days"}


def _as_date(key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(key, f"debe ser una fecha AAAA-MM-DD, no {value!r}") from None


def _parse_contract(raw: Any) -> Contract:
    if not isinstance(raw, Mapping):
        raise SettingsError("contract", "debe ser una tabla [contract] con number, provider y end")
    unknown = sorted(set(raw) - _CONTRACT_KEYS)
    if unknown:
        raise SettingsError(
            f"contract.{unknown[0]}",
            f"clave desconocida (válidas: {', '.join(sorted(_CONTRACT_KEYS))})",
        )
    for needed in ("number", "provider", "end"):
        if needed not in raw:
            raise SettingsError(f"contract.{needed}", "falta este dato del contrato")
    start = _as_date("contract.start", raw["start"]) if "start" in raw else None
    end = _as_date("contract.end", raw["end"])
    if start is not None and end < start:
        raise SettingsError(
            "contract.end", f"la fecha de fin {end} es anterior a la de inicio {start}"
        )
    number = _as_str("contract.number", raw["number"])
    if not number:
        raise SettingsError("contract.number", "no puede estar vacío")
    return Contract(
        number=number,
        provider=_as_str("contract.provider", raw["provider"]),
        end=end,
        start=start,
        product=_as_str("contract.product", raw.get("product", "Google Workspace")),
        warn_days=_as_int("contract.warn_days", raw.get("warn_days", 30), low=0, high=365),
    )


def _build(values: dict[str, tuple[Any, Path]], source: Path | None, cwd: Path) -> Settings:
    defaults = Settings()
    kw: dict[str, Any] = {"source": source}
    for key, (value, base) in values.items():
        if key in ("backend", "primary_domain", "customer_id", "delegated_admin"):
            kw[key] = _as_str(key, value)
        elif key == "domains":
            kw[key] = _parse_domains(value)
        elif key in ("state_dir", "archive_root"):
            kw[key] = _as_path(key, value, base)
        elif key == "service_account_key":
            text = _as_str(key, value)
            kw[key] = _as_path(key, text, base) if text else None
        elif key in ("emulator_url", "status_feed_url", "test_mailbox"):
            kw[key] = _as_str(key, value) or None
        elif key == "quota_per_minute":
            kw[key] = _as_int(key, value, low=1, high=1_000_000)
        elif key == "batch_size":
            kw[key] = _as_int(key, value, low=1, high=1000)
        elif key == "max_tries":
            kw[key] = _as_int(key, value, low=1, high=30)
        elif key == "contract":
            kw[key] = _parse_contract(value)

    if "state_dir" not in kw:
        kw["state_dir"] = cwd / defaults.state_dir
    if "archive_root" not in kw:
        kw["archive_root"] = cwd / defaults.archive_root
    return _validate(replace(defaults, **kw))


def _validate(s: Settings) -> Settings:
    if s.backend not in ("emulator", "google"):
        raise SettingsError("backend", f"debe ser «emulator» o «google», no «{s.backend}»")
    primary = s.primary_domain.lower()
    if not _DOMAIN_RE.match(primary):
        raise SettingsError(
            "primary_domain", f"«{s.primary_domain}» no es un nombre de dominio válido"
        )
    if primary not in {d.name for d in s.domains}:
        raise SettingsError(
            "domains", f"el dominio principal «{primary}» debe figurar en la tabla [domains]"
        )
    if not s.customer_id or not re.match(r"^(my_customer|C[0-9a-zA-Z]+)$", s.customer_id):
        raise SettingsError(
            "customer_id",
            f"debe ser «my_customer» o un id de cliente como C01abc23d, no «{s.customer_id}»",
        )
    if not _EMAIL_RE.match(s.delegated_admin):
        raise SettingsError(
            "delegated_admin", f"«{s.delegated_admin}» no es una dirección de correo válida"
        )
    if s.emulator_url is not None and not re.match(r"^https?://[^/\s]+(/.*)?$", s.emulator_url):
        raise SettingsError(
            "emulator_url", f"«{s.emulator_url}» no es una URL (ejemplo: http://127.0.0.1:8765/)"
        )
    if s.status_feed_url is not None and not re.match(r"^https?://[^/\s]+/.*$", s.status_feed_url):
        raise SettingsError("status_feed_url", f"«{s.status_feed_url}» no es una URL")
    if s.test_mailbox is not None and not _EMAIL_RE.match(s.test_mailbox):
        raise SettingsError(
            "test_mailbox", f"«{s.test_mailbox}» no es una dirección de correo válida"
        )
    if s.backend == "google":
        if s.service_account_key is None:
            raise SettingsError(
                "service_account_key",
                "el backend «google» necesita la ruta del archivo JSON de la cuenta de servicio",
            )
        if not s.service_account_key.is_file():
            raise SettingsError(
                "service_account_key", f"no existe el archivo {s.service_account_key}"
            )
    return replace(s, primary_domain=primary)
