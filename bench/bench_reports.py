"""A usage report for 10,000 users over 30 days (300,000 user-days): fetched from the
emulator's Reports API through the real client, and turned into the report's frames.

The emulator runs in a child process (forked), so the figures are the client's own: wall time,
the share of it spent waiting on HTTP (requests, server work, transfer) versus outside HTTP
(parsing JSON pages into typed frames and building the report), and the client's peak memory.

``python -m bench reports`` (set ``BENCH_REPORTS_USERS`` / ``BENCH_REPORTS_DAYS`` to change the
size).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

USERS = int(os.environ.get("BENCH_REPORTS_USERS", "10000"))
DAYS = int(os.environ.get("BENCH_REPORTS_DAYS", "30"))
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _clock() -> datetime:
    return NOW


def _serve(state: Path, users: int, ready: Any, stop: Any) -> None:
    """Child process: an empty emulator filled with ``users`` accounts, served until told."""
    from mailops.emulator import EmulatorServer, Faults
    from mailops.emulator.directory import DirectoryModel
    from mailops.emulator.store import Store

    server = EmulatorServer(
        state, seed="empty", clock=_clock, faults=Faults(quota_per_minute=None)
    ).start()
    model = DirectoryModel(Store(server.state_path), _clock, lambda: server.faults)
    with model.store.write():
        for n in range(users):
            model.users_insert(
                {
                    "primaryEmail": f"usuario.{n:05d}@cajica.example",
                    "name": {"givenName": "Usuario", "familyName": f"Número {n}"},
                    "password": "0" * 40,
                    "hashFunction": "SHA-1",
                    "orgUnitPath": "/",
                    "suspended": n % 23 == 0,
                    "organizations": [{"department": f"Dependencia {n % 14:02d}", "primary": True}],
                },
                created=NOW - timedelta(days=200 + n % 300),
            )
    ready.put(server.base_url)
    stop.wait()
    server.stop()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from mailops.reporting import USAGE_PARAMETERS, usage_frames
    from mailops.settings import Settings
    from mailops.workspace import connect

    ctx = mp.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        folder = Path(tmp)
        ready, stop = ctx.Queue(), ctx.Event()
        t0 = time.perf_counter()
        child = ctx.Process(target=_serve, args=(folder / "emu.sqlite3", USERS, ready, stop))
        child.start()
        base_url = ready.get(timeout=600)
        print(f"Emulador con {USERS:,} cuentas listo en {time.perf_counter() - t0:.1f} s")
        try:
            settings = Settings(
                emulator_url=base_url,
                state_dir=folder,
                archive_root=folder / "archive",
                quota_per_minute=1_000_000,
            )
            end = date(2026, 11, 16)  # last complete day for the emulator's clock
            start = end - timedelta(days=DAYS - 1)
            rss_before = _rss_mb()
            with connect(settings) as ws:
                t_start = time.perf_counter()
                usage = ws.reports.user_usage_range(start, end, parameters=list(USAGE_PARAMETERS))
                t_fetched = time.perf_counter()
                users = ws.directory.users_list()
                t_directory = time.perf_counter()
                report = usage_frames(usage, users, start, end)
                t_end = time.perf_counter()
                directory_requests = ws.executor.http_requests - usage.requests
        finally:
            stop.set()
            child.join(timeout=30)
    fetch = t_fetched - t_start
    total = t_end - t_start
    outside_usage = fetch - usage.http_seconds
    frames = t_end - t_directory
    directory = t_directory - t_fetched
    print(f"Periodo: {start} a {end} ({len(usage.dates)} días), filas: {len(usage.frame):,}")
    print(
        f"Solicitudes HTTP: {usage.requests} de uso (páginas de 1000) + {directory_requests} "
        "del directorio"
    )
    print(f"Tiempo total: {total:.1f} s")
    print(
        f"  uso (API de Reportes): {fetch:.1f} s, de ellos HTTP {usage.http_seconds:.1f} s y "
        f"fuera de HTTP (JSON -> tabla tipada) {outside_usage:.1f} s"
    )
    print(f"  directorio (users.list): {directory:.1f} s")
    print(f"  marcos del reporte (usage_frames): {frames:.2f} s")
    outside = outside_usage + frames
    print(
        f"Proporción del tiempo fuera de HTTP: {outside / total:.1%} "
        f"(uso + marcos; el directorio se cuenta como HTTP)"
    )
    print(f"Rendimiento: {len(usage.frame) / total:,.0f} usuario-días por segundo")
    print(
        f"Memoria pico del proceso cliente: {_rss_mb():.0f} MB (antes de la consulta "
        f"{rss_before:.0f} MB); tabla diaria en memoria "
        f"{usage.frame.memory_usage(deep=True).sum() / 2**20:.0f} MB"
    )
    print(
        f"Resumen: {report.summary()['usuarios']:,} cuentas, "
        f"{report.summary()['inactivos']:,} sin acceso, "
        f"{report.summary()['cerca_de_cuota']:,} cerca de la cuota"
    )


if __name__ == "__main__":
    main()
