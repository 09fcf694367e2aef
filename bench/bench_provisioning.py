"""Provisioning 5,000 users from a form against the emulator, with a quota and latency.

Prints, measured side by side in one run:

- the batched, journaled ``apply_plan`` time against the quota's floor (calls / allowed rate);
- a one-call-at-a-time loop (credential, users.insert, members.insert per person), measured
  on a sample of new people in the same emulator and extrapolated linearly to the same N.

``MAILOPS_BENCH_USERS`` (default 5000) and ``MAILOPS_BENCH_SAMPLE`` (default 200) resize it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from mailops.emulator import EmulatorServer, Faults
from mailops.provisioning import CredentialsFile, apply_plan, plan_form
from mailops.provisioning.form import FilledForm
from mailops.settings import Settings
from mailops.workspace import connect
from mailops.workspace.pacing import Pacer

QUOTA_PER_MINUTE = 30_000  # the emulator's quota (and the client's pace)
LATENCY_MS = 20
HASH_ROUNDS = 1000  # SHA-crypt minimum; the library default is 5000


def _names() -> tuple[list[str], list[str]]:
    data = json.loads(
        (Path(__file__).resolve().parents[1] / "mailops/emulator/data/nombres.json").read_text(
            encoding="utf-8"
        )
    )
    given = data["nombres_femeninos"] + data["nombres_masculinos"]
    return given, data["apellidos"]


def _records(n: int, start: int) -> list[dict[str, str]]:
    given, family = _names()
    deps = ["hacienda", "gobierno", "salud", "educacion", "obras", "tics"]
    out = []
    for i in range(start, start + n):
        out.append(
            {
                "nombres": given[i % len(given)],
                "apellidos": f"{family[(i // len(given)) % len(family)]} {family[i % len(family)]}",
                "documento": str(80_000_000 + i),
                "dependencia": deps[i % len(deps)],
                "cargo": "Contratista de apoyo a la gestión",
                "vinculacion": "contratista",
                "fecha_inicio": "01/02/2026",
                "fecha_fin": "31/12/2026",
                "solicitado_por": "Jefe de dependencia",
                "aprobado_por": "Secretario General",
            }
        )
    return out


def main() -> None:
    n = int(os.environ.get("MAILOPS_BENCH_USERS", "5000"))
    sample = int(os.environ.get("MAILOPS_BENCH_SAMPLE", "200"))
    tmp = Path(tempfile.mkdtemp(prefix="mailops-bench-"))
    faults = Faults(quota_per_minute=QUOTA_PER_MINUTE, latency_ms=LATENCY_MS)
    with EmulatorServer(tmp / "emu.sqlite3", seed="demo", faults=faults) as emu:
        settings = Settings(
            emulator_url=emu.base_url,
            state_dir=tmp / "estado",
            archive_root=tmp / "reports" / "archive",
            quota_per_minute=QUOTA_PER_MINUTE,
            batch_size=50,
        )
        with connect(settings) as ws:
            # pace evenly (a 6 s window at the same rate) instead of bursting a minute's quota
            ws.executor.pacer = Pacer(QUOTA_PER_MINUTE // 10, window=6.0)
            form = FilledForm.from_records(_records(n, 0), "bench.csv")
            t0 = time.perf_counter()
            plan = plan_form(ws, form)
            t_plan = time.perf_counter() - t0
            calls = len(plan.steps)
            requests_before = ws.executor.http_requests
            t0 = time.perf_counter()
            report = apply_plan(ws, plan, progress=False, hash_rounds=HASH_ROUNDS)
            t_batch = time.perf_counter() - t0
            batch_requests = ws.executor.http_requests - requests_before
            assert report.ok and len(report.created) == n, report.text()[:2000]

            # one call at a time, same per-person work, on a sample of other people
            seq_plan = plan_form(ws, FilledForm.from_records(_records(sample, n), "muestra.csv"))
            creds = CredentialsFile(tmp / "secuencial.csv", rounds=HASH_ROUNDS)
            seq_calls = 0
            t0 = time.perf_counter()
            for item in seq_plan.items:
                for step in item.steps:
                    if step.kind == "create":
                        body = dict(step.body or {})
                        issued = creds.issue(step.document_id, step.user)
                        body.update(password=issued.password_hash, hashFunction="crypt")
                        ws.directory.users_insert(body)
                    else:
                        ws.directory.members_insert(step.target, step.user)
                    seq_calls += 1
            t_seq = time.perf_counter() - t0
    rate = QUOTA_PER_MINUTE / 60.0
    floor = calls / rate
    per_call_seq = t_seq / seq_calls
    t_seq_n = per_call_seq * calls
    print(
        f"usuarios: {n}; cambios (llamadas): {calls}; cuota: {QUOTA_PER_MINUTE}/min; "
        f"latencia añadida: {LATENCY_MS} ms por petición HTTP; SHA-crypt rounds={HASH_ROUNDS}"
    )
    print(f"plan (lectura del directorio + validación + nombres): {t_plan:.1f} s")
    print(f"aplicar en lotes con diario: {t_batch:.1f} s en {batch_requests} peticiones HTTP")
    print(
        f"piso de la cuota (llamadas / tasa permitida = {calls} / {rate:.0f} por s): {floor:.1f} s"
    )
    print(f"razón tiempo / piso: {t_batch / floor:.2f}")
    print(
        f"una llamada a la vez: {per_call_seq * 1000:.1f} ms por llamada, medido en "
        f"{sample} personas ({seq_calls} llamadas) → {t_seq_n:.0f} s estimados para {calls}"
    )
    print(f"razón una-a-la-vez / lotes: {t_seq_n / t_batch:.1f}×")


if __name__ == "__main__":
    main()
