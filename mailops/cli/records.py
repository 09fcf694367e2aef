"""``mailops run`` and ``mailops archive``: run notebooks into the magnetic archive and read it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import yaml

from mailops.cli.common import echo_json, fail, get_settings
from mailops.errors import InputError

__all__ = ["archive", "run"]


def _read_parameters_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(
            f"no se pudo leer el archivo de parámetros: {exc}", where=str(path)
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InputError("debe contener un mapa nombre: valor (YAML o JSON)", where=str(path))
    return data


def _record_summary(archived: Any) -> dict[str, Any]:
    record = archived.record
    failure = record.failure
    return {
        "ejecucion": record.run_id,
        "cuaderno": record.notebook,
        "estado": record.status,
        "estado_texto": record.status_label,
        "carpeta": str(archived.folder),
        "inicio": record.started_at,
        "fin": record.finished_at,
        "duracion_s": record.duration_seconds,
        "solicitud": record.request,
        "operador": record.operator,
        "secuencia": record.sequence,
        "hash_registro": record.record_hash,
        "fallo": None
        if failure is None
        else {
            "celda": failure.cell_index,
            "error": failure.error_name,
            "mensaje": failure.error_value,
            "detalle": failure.detail,
        },
    }


def _failure_text(record: Any) -> str | None:
    failure = record.failure
    if failure is None:
        return None
    where = f"en la celda {failure.cell_index}" if failure.cell_index is not None else "al iniciar"
    detail = f" ({failure.detail})" if failure.detail else ""
    return f"Falló {where}{detail}: {failure.error_name}: {failure.error_value}".rstrip(": ")


@click.command("run")
@click.argument("notebook", metavar="CUADERNO")
@click.option(
    "-p",
    "--parameter",
    "pairs",
    nargs=2,
    multiple=True,
    metavar="NOMBRE VALOR",
    help="Un parámetro del cuaderno (se puede repetir).",
)
@click.option(
    "-f",
    "--parameters-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archivo YAML o JSON con parámetros (los -p tienen prioridad).",
)
@click.option(
    "--operador", "operator", help="Quién ejecuta (por defecto, el parámetro «operador»)."
)
@click.option(
    "--solicitud", "request", help="La solicitud que atiende (o el parámetro «solicitud»)."
)
@click.option(
    "--timeout-celda", type=float, default=600, show_default=True, help="Segundos por celda."
)
@click.option(
    "--timeout-total", type=float, default=3600, show_default=True, help="Segundos en total."
)
@click.option("--sin-progreso", is_flag=True, help="No mostrar la barra de progreso.")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
def run(
    notebook: str,
    pairs: tuple[tuple[str, str], ...],
    parameters_file: Path | None,
    operator: str | None,
    request: str | None,
    timeout_celda: float,
    timeout_total: float,
    sin_progreso: bool,
    as_json: bool,
) -> None:
    """Ejecuta un cuaderno en lote (interactive=False) y lo archiva, pase o falle.

    Ejemplo: mailops run 00_procedimiento -p solicitud "Crear cuenta" -p operador "Ana Ruiz"
    """
    from tqdm import tqdm

    from mailops.records.parameters import coerce_parameter, inspect_parameters
    from mailops.records.runner import (
        RunLimits,
        default_notebooks_dir,
        resolve_notebook,
        run_notebook,
    )
    from mailops.ui.progress import BAR_FORMAT

    settings = get_settings()
    path = resolve_notebook(notebook, default_notebooks_dir(settings))
    params: dict[str, Any] = {}
    if parameters_file is not None:
        params.update(_read_parameters_file(parameters_file))
    if pairs:
        declared = inspect_parameters(path)
        for name, value in pairs:
            params[name] = coerce_parameter(declared.get(name), value)
    bars: list[tqdm[Any]] = []  # created on the first cell: nothing shows for a refused run

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(
                tqdm(
                    desc=f"Ejecutando {path.stem}",
                    unit="celda",
                    bar_format=BAR_FORMAT,
                    total=total,
                    disable=sin_progreso or as_json,
                    file=sys.stderr,
                    leave=False,
                )
            )
        bars[0].total = total
        bars[0].n = done
        bars[0].refresh()

    try:
        archived = run_notebook(
            path,
            params,
            settings=settings,
            operator=operator,
            request=request,
            limits=RunLimits(cell_timeout=timeout_celda, total_timeout=timeout_total),
            on_progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    record = archived.record
    if as_json:
        echo_json(_record_summary(archived))
    else:
        click.echo(f"Ejecución {record.run_id} de {record.notebook}: {record.status_label}")
        failure = _failure_text(record)
        if failure:
            click.echo(failure)
        click.echo(f"Registro archivado en: {archived.folder}")
    if record.status == "interrupted":
        sys.exit(130)
    if record.status != "passed":
        sys.exit(1)


@click.group("archive")
def archive() -> None:
    """Archivo magnético: registros de las ejecuciones (listar, ver, verificar, buscar)."""


def _filters(func: Any) -> Any:
    options = [
        click.option("--desde", help="Fecha inicial AAAA-MM-DD (incluida)."),
        click.option("--hasta", help="Fecha final AAAA-MM-DD (incluida)."),
        click.option("--cuaderno", help="Nombre del cuaderno, p. ej. 00_procedimiento."),
        click.option(
            "--estado",
            help="completada/fallida/tiempo agotado/kernel caído/interrumpida (o su código).",
        ),
        click.option("--limite", type=int, help="Máximo de registros a mostrar."),
        click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _entries_out(entries: list[Any], as_json: bool) -> None:
    if as_json:
        echo_json(
            [
                {
                    "ejecucion": e.run_id,
                    "secuencia": e.sequence,
                    "fecha": e.date,
                    "cuaderno": e.notebook,
                    "estado": e.status,
                    "solicitud": e.request,
                    "operador": e.operator,
                    "ejecucion_procedimiento": e.procedure_run_id,
                    "carpeta": e.folder,
                }
                for e in entries
            ]
        )
        return
    if not entries:
        click.echo("No hay registros que coincidan.")
        return
    for e in entries:
        click.echo(
            f"{e.sequence:>5}  {e.run_id}  {e.date}  {e.notebook:<22} {e.status_label:<15} "
            f"{e.request or '—'}  ({e.operator or 'sin operador'})"
        )
    click.echo(f"{len(entries)} registro(s).")


@archive.command("list")
@_filters
def list_cmd(
    desde: str | None,
    hasta: str | None,
    cuaderno: str | None,
    estado: str | None,
    limite: int | None,
    as_json: bool,
) -> None:
    """Lista los registros archivados, en el orden de la cadena."""
    from mailops.records import RecordIndex, RecordQuery

    index = RecordIndex.open(get_settings().archive_root)
    query = RecordQuery(
        date_from=desde, date_to=hasta, notebook=cuaderno, status=estado, limit=limite
    )
    _entries_out(index.search(query), as_json)


@archive.command("search")
@click.argument("texto", nargs=-1)
@_filters
@click.option("--actividad", type=int, help="Actividad visitada (1 a 24).")
@click.option("--decision", help="Decisión tomada: 10, 10:SI o 10:NO.")
@click.option("--solicitud", help="Parte del texto de la solicitud.")
@click.option("--operador", help="Parte del nombre del operador.")
@click.option("--ejecucion-procedimiento", help="Id de la ejecución del procedimiento.")
@click.option(
    "--reconstruir", is_flag=True, help="Reconstruir antes el índice desde los registros."
)
def search_cmd(
    texto: tuple[str, ...],
    desde: str | None,
    hasta: str | None,
    cuaderno: str | None,
    estado: str | None,
    limite: int | None,
    as_json: bool,
    actividad: int | None,
    decision: str | None,
    solicitud: str | None,
    operador: str | None,
    ejecucion_procedimiento: str | None,
    reconstruir: bool,
) -> None:
    """Busca registros por texto libre y filtros (fecha, cuaderno, actividad, decisión...)."""
    from mailops.records import RecordIndex, RecordQuery

    root = get_settings().archive_root
    index = RecordIndex(root)
    if reconstruir or not index.path.exists():
        count = index.rebuild()
        if not as_json:
            click.echo(f"Índice reconstruido: {count} registro(s).", err=True)
    query = RecordQuery(
        date_from=desde,
        date_to=hasta,
        notebook=cuaderno,
        status=estado,
        limit=limite,
        activity=actividad,
        decision=decision,
        request=solicitud,
        operator=operador,
        procedure_run_id=ejecucion_procedimiento,
        text=" ".join(texto) or None,
    )
    _entries_out(index.search(query), as_json)


@archive.command("show")
@click.argument("run_id", metavar="REGISTRO")
@click.option("--json", "as_json", is_flag=True, help="El record.json completo.")
def show_cmd(run_id: str, as_json: bool) -> None:
    """Muestra un registro (por id de ejecución o su comienzo)."""
    from mailops.records import find_record

    archived = find_record(get_settings().archive_root, run_id)
    record = archived.record
    if as_json:
        echo_json(record.to_dict())
        return
    lines = [
        ("Ejecución", record.run_id),
        ("Cuaderno", record.notebook),
        ("Estado", record.status_label),
        ("Inicio", record.started_at),
        ("Fin", record.finished_at),
        ("Duración", f"{record.duration_seconds:.1f} s"),
        ("Solicitud", record.request or "—"),
        ("Operador", record.operator or "—"),
        (
            "Procedimiento",
            f"{record.procedure_code} versión {record.procedure_version}"
            if record.procedure_code
            else "—",
        ),
        ("Actividades", ", ".join(str(a) for a in record.activities) or "—"),
        ("Posición en la cadena", str(record.sequence)),
        ("Hash del registro", record.record_hash),
        ("Carpeta", str(archived.folder)),
    ]
    for label, value in lines:
        click.echo(f"{label:>22}: {value}")
    for d in record.decisions:
        click.echo(f"{'Decisión':>22}: actividad {d.activity} → {d.answer_label} ({d.reason})")
    failure = _failure_text(record)
    if failure:
        click.echo(f"{'Fallo':>22}: {failure}")
    for name in record.parameters:
        click.echo(f"{'Parámetro':>22}: {name} = {record.parameters[name]!r}")


@archive.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
def verify_cmd(as_json: bool) -> None:
    """Verifica hashes y cadena; sale con error y nombra cada registro dañado."""
    from mailops.records import verify_archive

    root = get_settings().archive_root
    report = verify_archive(root)
    if as_json:
        echo_json(
            {
                "raiz": str(root),
                "registros_verificados": report.checked,
                "integro": report.ok,
                "problemas": [
                    {"registro": p.record, "tipo": p.kind, "mensaje": p.message}
                    for p in report.problems
                ],
            }
        )
    elif report.ok:
        click.echo(f"Archivo íntegro: {report.checked} registro(s) verificados en {root}.")
    else:
        click.echo(f"El archivo {root} NO está íntegro ({report.checked} registro(s) revisados):")
        for p in report.problems:
            click.echo(f"  - {p.record}: {p.message}")
    if not report.ok:
        raise fail(
            f"{len(report.bad_records)} registro(s) con problemas: {', '.join(report.bad_records)}"
        )
