"""The magnetic archive at scale, and what the runner costs over bare papermill.

- archive N small records (no notebook execution; real append path: staging, lock, hash chain,
  fsync, atomic rename, index), then time searches, a full verify and an index rebuild;
- execute one small notebook through ``run_notebook`` and through bare ``papermill`` (same
  notebook, same kernel), alternately, and print the overhead ratio.

``python -m bench archive`` (N = 10,000; set ``BENCH_ARCHIVE_N`` to change it).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailops.records import (
    Decision,
    Record,
    RecordIndex,
    RecordQuery,
    append_record,
    verify_archive,
)

NOTEBOOK = Path(__file__).resolve().parents[1] / "tests" / "records" / "notebooks" / "ok.ipynb"


def _draft(i: int, start: datetime) -> Record:
    moment = start + timedelta(minutes=7 * i)
    decisions = (Decision(10, i % 3 != 0, "SI" if i % 3 else "NO", "prueba", "Ana", "x"),)
    return Record(
        run_id=f"{moment:%Y%m%dT%H%M%SZ}-{i:06x}",
        notebook=("00_procedimiento", "02_usuarios", "03_activacion")[i % 3],
        status="passed" if i % 10 else "failed",
        started_at=moment.isoformat(timespec="milliseconds"),
        finished_at=moment.isoformat(timespec="milliseconds"),
        duration_seconds=2.5,
        mailops_version="bench",
        parameters={"solicitud": f"Solicitud {i}", "interactive": False},
        operator=("Ana Ruiz", "Luis Gómez", "Carlos Pérez")[i % 3],
        request=f"Creación de cuenta n.º {i} para la Secretaría {i % 17}",
        activities=(8, 9, 10),
        decisions=decisions,
        procedure_run_id=f"run-{i // 4}",
    )


def _timed(
    label: str, func: object, *args: object, repeat: int = 1, unit: str = "resultado(s)"
) -> float:
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    best = min(times)
    extra = f" -> {len(result)} {unit}" if isinstance(result, list) else ""  # type: ignore[arg-type]
    print(f"  {label:<44} {best * 1000:10.1f} ms{extra}")
    return best


def bench_archive(n: int, root: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    index = RecordIndex(root)
    files = {"nb.ipynb": b'{"cells": []}' * 40, "nb.html": b"<html></html>" * 200}
    clock_state = [start]

    def clock() -> datetime:
        clock_state[0] += timedelta(seconds=1)
        return clock_state[0]

    t0 = time.perf_counter()
    for i in range(n):
        append_record(root, _draft(i, start), files, clock=clock, on_archived=index.add)
    elapsed = time.perf_counter() - t0
    print(
        f"Archivar {n} registros pequeños (fsync, cadena, índice): {elapsed:.1f} s "
        f"({elapsed / n * 1000:.2f} ms por registro)"
    )
    print("Búsquedas (mejor de 5):")
    queries = [
        ("texto libre «luis gomez fallida»", RecordQuery(text="luis gomez fallida")),
        ("solicitud «n.º 4321 para»", RecordQuery(request="n.º 4321 para")),
        ("operador + estado fallida", RecordQuery(operator="gomez", status="failed")),
        (
            "decisión 10:NO del 10 al 20 de enero",
            RecordQuery(decision="10:NO", date_from="2026-01-10", date_to="2026-01-20"),
        ),
        ("actividad 9, cuaderno 03_activacion", RecordQuery(activity=9, notebook="03_activacion")),
        ("ejecución de procedimiento run-42", RecordQuery(procedure_run_id="run-42")),
    ]
    for label, query in queries:
        _timed(label, lambda q=query: index.search(q), repeat=5)
    t_verify = _timed(
        "verificación completa (hashes + cadena)",
        lambda: list(verify_archive(root).problems),
        unit="problema(s)",
    )
    print(f"  -> {t_verify / n * 1000:.2f} ms por registro verificado")
    t0 = time.perf_counter()
    count = index.rebuild()
    print(
        f"  {'reconstrucción del índice':<44} {(time.perf_counter() - t0) * 1000:10.1f} ms "
        f"({count} registros)"
    )


def bench_runner(root: Path, rounds: int = 3) -> None:
    import papermill

    from mailops.records.runner import run_notebook
    from mailops.settings import load_settings

    settings = load_settings(
        env={"MAILOPS_ARCHIVE_ROOT": str(root / "runs"), "MAILOPS_STATE_DIR": str(root / "st")},
        cwd=root,
    )
    bare: list[float] = []
    ours: list[float] = []
    for i in range(rounds):
        t0 = time.perf_counter()
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(root / f"bare-{i}.ipynb"),
            parameters={"interactive": False},
            progress_bar=False,
            kernel_name="python3",
            cwd=str(NOTEBOOK.parent),
        )
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        archived = run_notebook(NOTEBOOK, {}, settings=settings)
        ours.append(time.perf_counter() - t0)
        assert archived.status == "passed", archived.record.failure
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"Un cuaderno pequeño ({rounds} rondas alternadas, mediana):")
    print(f"  papermill solo:                 {b:6.2f} s")
    print(f"  run_notebook (validar, ejecutar, redactar, HTML, archivar): {o:6.2f} s")
    print(f"  sobrecosto: x{o / b:.2f}  (+{(o - b) * 1000:.0f} ms)")


def main() -> None:
    n = int(os.environ.get("BENCH_ARCHIVE_N", "10000"))
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        bench_archive(n, Path(tmp) / "archive")
        bench_runner(Path(tmp))
    # Archived files are read-only; TemporaryDirectory's cleanup copes with that as the owner.


if __name__ == "__main__":
    main()
