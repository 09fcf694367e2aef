"""``mailops procedure``: show the procedure (text, markdown, JSON) and draw its flowchart."""

from __future__ import annotations

from pathlib import Path

import click

from mailops.cli.common import echo_json, fail
from mailops.procedure import (
    ProcedureRun,
    load_procedure,
    procedure_to_dict,
    render_flowchart,
    render_markdown,
    render_text,
)

__all__ = ["procedure"]

_DEFINITION = click.option(
    "--definicion",
    "definition",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Archivo de definición del procedimiento (por defecto, la versión 01 incluida).",
)


@click.group("procedure")
def procedure() -> None:
    """El procedimiento de administración de correo electrónico: actividades y flujo."""


@procedure.command("show")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Salida en markdown.")
@click.option(
    "--run",
    "run_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Registro de una ejecución (JSON) cuyo recorrido se marca.",
)
@_DEFINITION
def show(as_json: bool, as_markdown: bool, run_path: Path | None, definition: Path | None) -> None:
    """Muestra las actividades del procedimiento, sus responsables y su flujo."""
    if as_json and as_markdown:
        raise fail("Use --json o --markdown, no ambos.", code=2)
    proc = load_procedure(definition)
    run = ProcedureRun.load(run_path, proc) if run_path else None
    if as_json:
        echo_json(procedure_to_dict(proc))
    elif as_markdown:
        click.echo(render_markdown(proc, run), nl=False)
    else:
        click.echo(render_text(proc, run), nl=False)


@procedure.command("flowchart")
@click.argument("output", metavar="ARCHIVO", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--run",
    "run_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Registro de una ejecución (JSON): su recorrido se resalta.",
)
@click.option(
    "--dpi",
    default=120,
    show_default=True,
    type=click.IntRange(50, 600),
    help="Resolución de la imagen PNG (puntos por pulgada).",
)
@_DEFINITION
def flowchart(output: Path, run_path: Path | None, dpi: int, definition: Path | None) -> None:
    """Dibuja el diagrama de flujo en ARCHIVO (.png o .svg)."""
    suffix = output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise fail(
            f"El archivo de salida «{output}» debe terminar en .png o .svg (se recibió «{suffix or 'sin extensión'}»).",
            code=2,
        )
    if not output.parent.exists():
        raise fail(f"La carpeta «{output.parent}» no existe; créela o elija otra ruta.", code=2)
    proc = load_procedure(definition)
    run = ProcedureRun.load(run_path, proc) if run_path else None
    figure = render_flowchart(proc, run)
    try:
        figure.savefig(output, dpi=dpi)
    except OSError as exc:
        raise fail(f"No se pudo escribir «{output}»: {exc.strerror}.") from None
    click.echo(f"Diagrama de flujo guardado en {output}")
