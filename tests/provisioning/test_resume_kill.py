"""A real crash: ``mailops users apply`` killed (SIGKILL) mid-run, then run again.

Every person must end with exactly one account, every step done in the journal, and every
created account with its password on file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer, Faults
from mailops.provisioning.credentials import CredentialsFile
from mailops.provisioning.form import read_form
from mailops.settings import Settings
from mailops.workspace import connect
from tests.provisioning.conftest import people, write_csv

ROOT = Path(__file__).resolve().parents[2]
N = 40


def journal_counts(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return dict(db.execute("SELECT status, COUNT(*) FROM steps GROUP BY status").fetchall())
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()


def apply_process(form: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "mailops", "users", "apply", str(form), "--yes"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


@pytest.mark.slow
def test_an_apply_killed_mid_run_resumes_and_creates_each_account_exactly_once(
    tmp_path: Path,
) -> None:
    rows = people(N)
    form = write_csv(tmp_path / "solicitudes.csv", rows, encoding="cp1252")
    state = tmp_path / "estado"
    journal = state / "aprovisionamiento" / "diario.sqlite3"
    faults = Faults(quota_per_minute=None, latency_ms=150)
    with EmulatorServer(tmp_path / "emu.sqlite3", seed="demo", faults=faults) as emu:
        env = {
            **os.environ,
            "MAILOPS_EMULATOR_URL": emu.base_url,
            "MAILOPS_STATE_DIR": str(state),
            "MAILOPS_ARCHIVE_ROOT": str(tmp_path / "reports" / "archive"),
            "MAILOPS_BATCH_SIZE": "4",
            "MAILOPS_CONFIG": "",
        }
        first = apply_process(form, env, tmp_path / "primera.log")
        killed_at: dict[str, int] = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            counts = journal_counts(journal)
            if counts.get("done", 0) >= 8 and counts.get("intended", 0) > 0:
                first.send_signal(signal.SIGKILL)
                killed_at = counts
                break
            time.sleep(0.02)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL, (tmp_path / "primera.log").read_text()
        assert killed_at["done"] < N  # it really died in the middle

        emu.faults = Faults(quota_per_minute=None)
        second = apply_process(form, env, tmp_path / "segunda.log")
        second.wait(timeout=120)
        output = (tmp_path / "segunda.log").read_text(encoding="utf-8")
        assert second.returncode == 0, output
        assert "0 fallidos, 0 omitidos" in output

        settings = Settings(emulator_url=emu.base_url, state_dir=state)
        with connect(settings) as ws:
            found: dict[str, list[str]] = {r["documento"]: [] for r in rows}
            for user in ws.directory.users_list():
                if user.document_id in found:
                    found[user.document_id].append(user.primary_email)
            members = {m.email for m in ws.directory.members_list("hacienda@cajica.example")}
    assert all(len(v) == 1 for v in found.values()), found
    assert {v[0] for v in found.values()} <= members
    final = journal_counts(journal)
    assert final == {"done": 2 * N}
    batch = f"formato-{read_form(form).fingerprint}"
    assert CredentialsFile(state / "credenciales" / f"{batch}.csv").count == N
