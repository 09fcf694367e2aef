"""Run a procedure notebook through papermill into the archive.

One linear pipeline (papermill's own shape): resolve the notebook, check its parameters before
any kernel starts, execute with a cell timeout, a kernel-start timeout and an outer bound,
classify the outcome from what was raised (papermill's status fields are not reliable), redact,
render, and hand the finished record to the archive, which moves it into place atomically.
A failed run is archived too: the failure is the record.

Example::

    from mailops.records import run_notebook
    archived = run_notebook("00_procedimiento", {"solicitud": "Crear cuenta"})
    archived.status, archived.folder   # ('passed', PosixPath('reports/archive/…'))
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mailops.errors import InputError
from mailops.records.archive import ArchivedRecord, append_record
from mailops.records.engine import ENGINE_NAME, ExecutionWatch
from mailops.records.index import RecordIndex
from mailops.records.outcomes import (
    PROCEDURE_ACTIVITIES_OUTCOME,
    PROCEDURE_RUN_OUTCOME,
    read_outcomes,
)
from mailops.records.parameters import inspect_parameters, validate_parameters
from mailops.records.record import Decision, Failure, Record, Status, new_run_id
from mailops.records.redaction import Redactor, redact_notebook, secret_values_from_env
from mailops.records.rendering import render_html
from mailops.settings import Settings, load_settings

__all__ = ["RunLimits", "default_notebooks_dir", "resolve_notebook", "run_notebook", "settings_env"]

OPERATOR_PARAMETER = "operador"
REQUEST_PARAMETER = "solicitud"


@dataclass(frozen=True)
class RunLimits:
    """Time bounds of one run, in seconds."""

    cell_timeout: float = 600
    start_timeout: float = 60
    total_timeout: float = 3600


def resolve_notebook(name_or_path: str | os.PathLike[str], notebooks_dir: Path) -> Path:
    """``"00_procedimiento"``, ``"00_procedimiento.ipynb"`` or a path -> the notebook file."""
    text = os.fspath(name_or_path)
    direct = Path(text)
    candidates = [direct] if direct.suffix == ".ipynb" else []
    candidates += [notebooks_dir / direct.name, notebooks_dir / f"{direct.name}.ipynb"]
    for candidate in candidates:
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()
    available = ", ".join(sorted(p.stem for p in notebooks_dir.glob("*.ipynb"))) or "(ninguno)"
    raise InputError(
        f"no existe el cuaderno «{text}» (en {notebooks_dir} hay: {available})", where="cuaderno"
    )


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that give a kernel exactly these settings."""
    env = {
        "MAILOPS_BACKEND": settings.backend,
        "MAILOPS_PRIMARY_DOMAIN": settings.primary_domain,
        "MAILOPS_CUSTOMER_ID": settings.customer_id,
        "MAILOPS_DELEGATED_ADMIN": settings.delegated_admin,
        "MAILOPS_STATE_DIR": str(settings.state_dir),
        "MAILOPS_ARCHIVE_ROOT": str(settings.archive_root),
        "MAILOPS_QUOTA_PER_MINUTE": str(settings.quota_per_minute),
        "MAILOPS_BATCH_SIZE": str(settings.batch_size),
        "MAILOPS_MAX_TRIES": str(settings.max_tries),
    }
    if settings.source is not None:
        env["MAILOPS_CONFIG"] = str(Path(settings.source).resolve())
    if settings.service_account_key is not None:
        env["MAILOPS_SERVICE_ACCOUNT_KEY"] = str(settings.service_account_key)
    if settings.emulator_url:
        env["MAILOPS_EMULATOR_URL"] = settings.emulator_url
    if settings.status_feed_url:
        env["MAILOPS_STATUS_FEED_URL"] = settings.status_feed_url
    if settings.test_mailbox:
        env["MAILOPS_TEST_MAILBOX"] = settings.test_mailbox
    return env


def default_notebooks_dir(settings: Settings) -> Path:
    if settings.source is not None:
        return Path(settings.source).resolve().parent / "notebooks"
    return Path.cwd() / "notebooks"


def _readable_parameters(nb: Any, params: Mapping[str, Any]) -> None:
    """Rewrite papermill's injected-parameters cell so accents read as written.

    papermill writes strings with ``unicode_escape`` ("Laura G\\xf3mez"); the record is read by
    people, so the cell shows the same values as Python literals that keep their accents.
    """
    for cell in getattr(nb, "cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            lines = [f"{name} = {value!r}" for name, value in params.items()]
            cell["source"] = "# Parámetros de esta ejecución\n" + "\n".join(lines)
            return


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@contextlib.contextmanager
def _outer_bound(watch: ExecutionWatch, seconds: float) -> Iterator[None]:
    timer = threading.Timer(seconds, watch.kill_kernel)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@contextlib.contextmanager
def _interruptible(watch: ExecutionWatch) -> Iterator[None]:
    """Ctrl-C / SIGTERM stop the kernel and let the run be archived as interrupted.

    papermill's synchronous path leaves signals to Python, and a KeyboardInterrupt raised inside
    nbclient's event loop can be swallowed (the cell then runs on). Only the main thread can
    install handlers; elsewhere the defaults stay.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        if not watch.interrupt():
            raise KeyboardInterrupt  # no kernel yet: stop right here

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _first_error_cell(nb: Any) -> tuple[int, str, str] | None:
    for index, cell in enumerate(nb.cells if nb is not None else []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, str(output.get("ename", "")), str(output.get("evalue", ""))
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "failed":
            return index, "Error", ""
    return None


def _classify(
    exc: BaseException | None, watch: ExecutionWatch, limits: RunLimits
) -> tuple[Status, Failure | None]:
    """The run's status from what was raised, not from papermill's metadata."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    cell = watch.current_cell
    if watch.total_timeout_hit:
        detail = f"se superó el límite total de {limits.total_timeout:g} s; se detuvo el kernel"
        return "timed_out", Failure(cell, "TimeoutError", detail, "límite total")
    # nbclient handles SIGINT/SIGTERM itself by shutting the kernel down, after which the
    # run may even end without an exception: the signal, not the exception, decides.
    if isinstance(exc, KeyboardInterrupt) or watch.signal_received():
        return "interrupted", Failure(cell, "KeyboardInterrupt", "ejecución interrumpida")
    if isinstance(exc, CellTimeoutError):
        detail = f"la celda superó {limits.cell_timeout:g} s"
        return "timed_out", Failure(cell, "CellTimeoutError", detail, "límite por celda")
    if isinstance(exc, DeadKernelError):
        return "kernel_died", Failure(cell, "DeadKernelError", str(exc))
    if exc is not None and cell is None:
        # Nothing ran: the kernel did not start in time, or could not start at all.
        status: Status = "timed_out" if "respond" in str(exc) else "failed"
        return status, Failure(None, type(exc).__name__, str(exc), "inicio del kernel")
    found = _first_error_cell(watch.nb)
    if found is not None:
        index, ename, evalue = found
        status = "interrupted" if ename == "KeyboardInterrupt" else "failed"
        return status, Failure(index, ename, evalue)
    if exc is not None:
        return "failed", Failure(cell, type(exc).__name__, str(exc))
    return "passed", None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _str_or_none(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


def _procedure_fields(outcomes: Mapping[str, Any]) -> dict[str, Any]:
    # What this notebook did (mailops.records.steps: the activities it served, applied to a
    # ProcedureRun or not) is the record's activities and decisions; else, for the master
    # notebook, the ProcedureRun's state. The run id comes from either. What a notebook
    # displayed is not trusted: a malformed value is left out rather than costing the record.
    served = outcomes.get(PROCEDURE_ACTIVITIES_OUTCOME)
    run = outcomes.get(PROCEDURE_RUN_OUTCOME)
    data = served if isinstance(served, Mapping) else run
    if not isinstance(data, Mapping):
        return {}
    run_id = data.get("run_id")
    if run_id is None and isinstance(run, Mapping):
        run_id = run.get("run_id")
    raw_decisions = data.get("decisions")
    decisions = tuple(
        Decision(
            activity=activity,
            answer=bool(d.get("answer")),
            answer_label=str(d.get("answer_label", "")),
            reason=str(d.get("reason", "")),
            by=str(d.get("by", "")),
            at=str(d.get("at", "")),
        )
        for d in (raw_decisions if isinstance(raw_decisions, list) else ())
        if isinstance(d, Mapping) and (activity := _int_or_none(d.get("activity"))) is not None
    )
    visited = data.get("visited")
    activities = (_int_or_none(a) for a in (visited if isinstance(visited, list) else ()))
    return {
        "procedure_code": _str_or_none(data.get("procedure_code")),
        "procedure_version": _str_or_none(data.get("procedure_version")),
        "procedure_run_id": _str_or_none(run_id),
        "activities": tuple(a for a in activities if a is not None),
        "decisions": decisions,
    }


def run_notebook(
    name_or_path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    settings: Settings | None = None,
    operator: str | None = None,
    request: str | None = None,
    notebooks_dir: Path | None = None,
    limits: RunLimits = RunLimits(),
    run_id: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    kernel_name: str = "python3",
    kernel_env: Mapping[str, str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ArchivedRecord:
    """Execute a notebook in batch and archive the run, whatever its outcome.

    Parameters are checked against the notebook's ``parameters`` cell before any kernel
    starts (``InputError`` names each unknown, ill-typed or secret one); ``interactive`` is
    forced to False. ``kernel_env`` adds environment variables for the kernel (the way to hand
    it a secret); their secret-looking values are redacted from the record. ``on_progress``
    is called with (cells done, total cells). Returns the archived record (``.folder``,
    ``.status``, ``.record``); only a failure to write the archive raises.
    """
    settings = settings or load_settings()
    notebook = resolve_notebook(name_or_path, notebooks_dir or default_notebooks_dir(settings))
    declared = inspect_parameters(notebook)
    secret_declared = sorted(p.name for p in declared.values() if p.secret)
    if secret_declared:
        raise InputError(
            f"el cuaderno declara parámetros secretos ({', '.join(secret_declared)}); los "
            "secretos se leen de las variables de entorno o del archivo de credenciales, "
            "nunca de parámetros",
            where=notebook.name,
        )
    params = dict(parameters or {})
    validate_parameters(declared, params, notebook=notebook.name)
    if "interactive" in declared:
        params["interactive"] = False
    if operator is None and isinstance(params.get(OPERATOR_PARAMETER), str):
        operator = params[OPERATOR_PARAMETER] or None
    if request is None and isinstance(params.get(REQUEST_PARAMETER), str):
        request = params[REQUEST_PARAMETER] or None

    started = clock()
    run_id = run_id or new_run_id(started)
    env = {**os.environ, **settings_env(settings), "MAILOPS_RUN_ID": run_id, **(kernel_env or {})}
    if settings.source is None:
        env.pop("MAILOPS_CONFIG", None)
    watch = ExecutionWatch(kernel_env=env, on_progress=on_progress)
    raised: BaseException | None = None
    try:
        import papermill

        with _outer_bound(watch, limits.total_timeout), _interruptible(watch):
            papermill.execute_notebook(
                str(notebook),
                None,  # nothing on disk until redacted: the archive writes the record
                parameters=params,
                engine_name=ENGINE_NAME,
                kernel_name=kernel_name,
                cwd=str(notebook.parent),
                progress_bar=False,
                start_timeout=limits.start_timeout,
                execution_timeout=limits.cell_timeout,
                store_widget_state=False,
                mailops_watch=watch,
            )
    except (Exception, KeyboardInterrupt) as exc:
        raised = exc
    finished = clock()
    status, failure = _classify(raised, watch, limits)

    redactor = Redactor(secret_values_from_env(env))
    nb = watch.nb
    if nb is None:  # papermill failed before building the run: archive the template itself
        import nbformat

        nb = nbformat.read(str(notebook), as_version=4)  # type: ignore[no-untyped-call]
    _readable_parameters(nb, params)
    redact_notebook(nb, redactor)
    outcomes = redactor.data(read_outcomes(nb))
    if failure is not None:
        failure = Failure(
            failure.cell_index,
            redactor.text(failure.error_name),
            redactor.text(failure.error_value),
            redactor.text(failure.detail),
        )
    procedure = _procedure_fields(outcomes)
    run_state = outcomes.get(PROCEDURE_RUN_OUTCOME)
    if isinstance(run_state, Mapping):
        operator = operator or _text_or_none(run_state.get("operator"))
        request = request or _text_or_none(run_state.get("request"))
    from mailops import __version__

    draft = Record(
        run_id=run_id,
        notebook=notebook.stem,
        status=status,
        started_at=_iso(started),
        finished_at=_iso(finished),
        duration_seconds=round((finished - started).total_seconds(), 3),
        mailops_version=__version__,
        parameters=redactor.data(params),
        operator=redactor.text(operator) if operator else None,
        request=redactor.text(request) if request else None,
        outcomes=outcomes,
        failure=failure,
        **procedure,
    )
    import nbformat

    files = {
        f"{notebook.stem}.ipynb": nbformat.writes(nb).encode("utf-8"),  # type: ignore[no-untyped-call]
        # The notebook is already redacted; the page only gets the exact known values removed
        # (patterns would also "redact" harmless CSS or markup).
        f"{notebook.stem}.html": redactor.known_values(
            _page(nb, f"{notebook.stem} — ejecución {run_id}", redactor)
        ).encode("utf-8"),
    }
    index = RecordIndex(settings.archive_root)
    return append_record(
        settings.archive_root, draft, files, clock=clock, on_archived=_indexer(index)
    )


def _page(nb: Any, title: str, redactor: Redactor) -> str:
    """The HTML page of the run; a page that cannot be rendered (a missing attachment, an
    output nbformat rejects) must not cost the record: a short page says why instead."""
    try:
        return render_html(nb, title=title)
    except Exception as exc:
        import html

        reason = html.escape(redactor.text(f"{type(exc).__name__}: {exc}"))
        return (
            '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
            f"<p>No se pudo generar la vista HTML de esta ejecución ({reason}). El cuaderno "
            "ejecutado completo está en el archivo .ipynb de este mismo registro.</p>\n"
            "</body>\n</html>\n"
        )


def _indexer(index: RecordIndex) -> Callable[[ArchivedRecord], None]:
    def add(archived: ArchivedRecord) -> None:
        try:
            index.add(archived)
        except Exception:
            # The index is rebuildable; a broken one must not lose a record. Drop it so the
            # next search rebuilds it from the records.
            with contextlib.suppress(OSError):
                index.path.unlink()

    return add
