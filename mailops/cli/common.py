"""What every command shares: settings loading, Spanish error reporting, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from mailops.errors import DefinitionError, MailopsError
from mailops.settings import Settings, load_settings

__all__ = ["echo_json", "fail", "get_settings", "run_guarded", "settings_cmd"]

F = TypeVar("F", bound=Callable[..., Any])


class MailopsClickError(click.ClickException):
    """A library error shown to the operator in Spanish, with its exit code (1 by default)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def fail(message: str, code: int = 1) -> MailopsClickError:
    return MailopsClickError(message, code)


def run_guarded(cli: click.Group, argv: list[str] | None) -> Any:
    """Run the click group, turning library errors into Spanish messages and exit codes."""
    try:
        return cli.main(args=argv, prog_name="mailops", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Operación cancelada.", err=True)
        sys.exit(130)
    except MailopsClickError as exc:
        exc.show()
        sys.exit(exc.code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MailopsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except DefinitionError as exc:
        click.echo(
            f"Error interno de definición (informe al equipo de desarrollo): {exc}", err=True
        )
        sys.exit(3)
    except KeyboardInterrupt:
        click.echo("Interrumpido por el operador.", err=True)
        sys.exit(130)


def get_settings() -> Settings:
    """The settings for this invocation (cached on the click context)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {}
    if "settings" not in root.obj:
        root.obj["settings"] = load_settings()
    settings: Settings = root.obj["settings"]
    return settings


def echo_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON (accents kept), for scripts."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
def settings_cmd(as_json: bool) -> None:
    """Muestra la configuración en uso (sin secretos)."""
    s = get_settings()
    data = {
        "origen": str(s.source) if s.source else "(valores por defecto)",
        "backend": s.backend,
        "dominio_principal": s.primary_domain,
        "dominios": {d.name: d.origin for d in s.domains},
        "cliente": s.customer_id,
        "administrador_delegado": s.delegated_admin,
        "clave_cuenta_servicio": str(s.service_account_key) if s.service_account_key else None,
        "directorio_estado": str(s.state_dir),
        "raiz_archivo": str(s.archive_root),
        "url_emulador": s.emulator_url,
        "cuota_por_minuto": s.quota_per_minute,
        "tamano_lote": s.batch_size,
    }
    if as_json:
        echo_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key:>24}: {value}")
