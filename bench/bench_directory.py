"""Issue 2 bench: emulator requests per second, and 1,000 user inserts one call at a time vs
through the batch executor, without and with 50 ms of added latency per HTTP request.

Run: ``make bench BENCH=directory`` (or ``python -m bench directory``). Figures are measured
side by side in one run on this machine; compare ratios, not absolute times.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import httplib2

from mailops.emulator import EmulatorServer, Faults
from mailops.settings import Settings
from mailops.workspace import connect, directory_calls

N = int(os.environ.get("BENCH_N", "1000"))
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "50"))


def user(i: int, tag: str) -> dict[str, object]:
    return {
        "primaryEmail": f"bench.{tag}.{i:05d}@cajica.example",
        "name": {"givenName": "Banco", "familyName": f"Prueba {i}"},
        "password": "d41d8cd98f00b204e9800998ecf8427e",
        "hashFunction": "MD5",
    }


def requests_per_second(server: EmulatorServer, seconds: float = 3.0) -> tuple[float, float]:
    """(raw keep-alive GETs/s, users.get/s through google-api-python-client)."""
    http = httplib2.Http()
    url = server.base_url + "admin/directory/v1/users/admin%40cajica.example?alt=json"
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        resp, _ = http.request(url)
        assert resp.status == 200
        n += 1
    raw = n / (time.perf_counter() - start)
    http.close()
    settings = Settings(emulator_url=server.base_url, quota_per_minute=1_000_000)
    with connect(settings) as ws:
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            ws.directory.users_get("admin@cajica.example")
            n += 1
        client = n / (time.perf_counter() - start)
    return raw, client


def inserts(server: EmulatorServer, tag: str, batched: bool) -> float:
    settings = Settings(emulator_url=server.base_url, quota_per_minute=1_000_000)
    with connect(settings) as ws:
        start = time.perf_counter()
        if batched:
            report = ws.run_batch(directory_calls.users_insert(user(i, tag)) for i in range(N))
            assert not report.failed, report.failed
        else:
            for i in range(N):
                ws.directory.users_insert(user(i, tag))
        return time.perf_counter() - start


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmulatorServer(
            Path(tmp) / "bench.sqlite3", seed="demo", faults=Faults(quota_per_minute=None)
        ) as server,
    ):
        raw, client = requests_per_second(server)
        print(f"Emulador: {raw:8.0f} solicitudes/s (HTTP crudo, keep-alive, 1 hilo)")
        print(f"Emulador: {client:8.0f} users.get/s (google-api-python-client, 1 hilo)")
        print()
        print(f"{N} altas de usuario           una a una    por lotes    razón")
        for latency in (0, LATENCY_MS):
            server.faults = Faults(quota_per_minute=None, latency_ms=latency)
            single = inserts(server, f"s{latency}", batched=False)
            batch = inserts(server, f"b{latency}", batched=True)
            label = f"latencia {latency:>3} ms/solicitud"
            print(f"{label:<28} {single:8.2f} s   {batch:8.2f} s   {single / batch:6.1f}x")


if __name__ == "__main__":
    main()
