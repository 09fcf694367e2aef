"""Real notebooks through papermill into the archive (each execution starts a kernel)."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import nbformat
import pytest

from mailops.records import ArchivedRecord, RunLimits, run_notebook, verify_archive
from mailops.settings import Settings, load_settings
from tests.records.factories import NOTEBOOKS, SteppingClock


@pytest.fixture(scope="module")
def passed(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArchivedRecord, Settings]:
    root = tmp_path_factory.mktemp("passed")
    settings = load_settings(
        env={"MAILOPS_ARCHIVE_ROOT": str(root / "archive"), "MAILOPS_STATE_DIR": str(root / "s")},
        cwd=root,
    )
    archived = run_notebook(
        "ok",
        {"repeticiones": 3, "solicitud": "Creación de cuenta", "interactive": True},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        operator="Ana Ruiz",
        run_id="20261129T153000Z-aaaaaa",
        clock=SteppingClock(),
    )
    return archived, settings


DEFAULT_LIMITS = RunLimits()


def _run_failing(
    settings: Settings, mode: str, limits: RunLimits = DEFAULT_LIMITS
) -> ArchivedRecord:
    return run_notebook(
        "falla", {"modo": mode}, settings=settings, notebooks_dir=NOTEBOOKS, limits=limits
    )


def test_a_passing_run_is_archived_as_passed(passed: tuple[ArchivedRecord, Settings]) -> None:
    archived, settings = passed
    assert archived.status == "passed"
    assert archived.record.failure is None
    assert archived.folder == settings.archive_root / "2026/11/29/20261129T153000Z-aaaaaa-ok"


def test_the_record_folder_holds_notebook_html_record_and_sums(
    passed: tuple[ArchivedRecord, Settings],
) -> None:
    archived, _ = passed
    names = sorted(p.name for p in archived.folder.iterdir())
    assert names == ["SHA256SUMS", "ok.html", "ok.ipynb", "record.json"]
    record = json.loads((archived.folder / "record.json").read_text(encoding="utf-8"))
    assert record["run_id"] == "20261129T153000Z-aaaaaa"
    assert record["operator"] == "Ana Ruiz"
    assert record["request"] == "Creación de cuenta"
    assert record["status"] == "passed"
    assert "Creación de cuenta" in archived.html_file.read_text(encoding="utf-8")


def test_the_archived_parameters_cell_keeps_accents_as_written(
    passed: tuple[ArchivedRecord, Settings],
) -> None:
    archived, _ = passed
    nb = nbformat.read(archived.notebook_file, as_version=4)  # type: ignore[no-untyped-call]
    (cell,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "solicitud = 'Creación de cuenta'" in cell.source
    assert "\\x" not in cell.source
    assert "Creación de cuenta" in archived.html_file.read_text(encoding="utf-8")


def test_a_batch_run_forces_interactive_off(passed: tuple[ArchivedRecord, Settings]) -> None:
    archived, _ = passed
    assert archived.record.parameters["interactive"] is False
    assert archived.record.outcomes["conteo"]["interactive"] is False


def test_outcomes_recorded_in_the_notebook_reach_the_record(
    passed: tuple[ArchivedRecord, Settings],
) -> None:
    archived, _ = passed
    assert archived.record.outcomes["conteo"]["repeticiones"] == 3


def test_the_kernel_sees_the_runner_settings_and_run_id(
    passed: tuple[ArchivedRecord, Settings],
) -> None:
    archived, settings = passed
    conteo = archived.record.outcomes["conteo"]
    assert conteo["archive_root"] == str(settings.archive_root)
    assert conteo["run_id"] == "20261129T153000Z-aaaaaa"


def test_the_archived_notebook_keeps_no_widget_state_and_is_read_only(
    passed: tuple[ArchivedRecord, Settings],
) -> None:
    archived, _ = passed
    nb = nbformat.read(archived.notebook_file, as_version=4)
    assert "widgets" not in nb.metadata
    assert archived.notebook_file.stat().st_mode & 0o222 == 0


def test_a_failing_run_is_archived_with_the_failing_cell_and_error(settings: Settings) -> None:
    archived = _run_failing(settings, "error")
    assert archived.status == "failed"
    failure = archived.record.failure
    assert failure is not None
    assert (failure.error_name, failure.error_value) == (
        "ValueError",
        "la verificación falló a propósito",
    )
    nb = nbformat.read(archived.notebook_file, as_version=4)
    failing = nb.cells[failure.cell_index]
    assert 'raise ValueError("la verificación falló a propósito")' in failing.source
    assert verify_archive(settings.archive_root).ok


def test_sys_exit_zero_in_a_cell_is_a_failure_not_a_pass(settings: Settings) -> None:
    archived = _run_failing(settings, "salida")
    assert archived.status == "failed"
    assert archived.record.failure is not None
    assert archived.record.failure.error_name == "SystemExit"


def test_a_cell_over_its_timeout_is_recorded_as_timed_out(settings: Settings) -> None:
    archived = _run_failing(settings, "espera", RunLimits(cell_timeout=2, total_timeout=60))
    assert archived.status == "timed_out"
    assert archived.record.failure is not None
    assert archived.record.failure.detail == "límite por celda"


def test_a_run_over_the_outer_bound_is_stopped_and_recorded_as_timed_out(
    settings: Settings,
) -> None:
    archived = _run_failing(settings, "espera", RunLimits(cell_timeout=60, total_timeout=4))
    assert archived.status == "timed_out"
    assert archived.record.failure is not None
    assert archived.record.failure.detail == "límite total"


def test_a_dead_kernel_is_recorded_as_kernel_died(settings: Settings) -> None:
    archived = _run_failing(settings, "muerte")
    assert archived.status == "kernel_died"
    assert archived.record.failure is not None
    assert archived.record.failure.error_name == "DeadKernelError"


def test_ctrl_c_during_a_run_stops_the_kernel_and_archives_it_as_interrupted(
    settings: Settings,
) -> None:
    timers: list[threading.Timer] = []

    def on_progress(done: int, total: int) -> None:
        if not timers:  # once cells run, press Ctrl-C (SIGINT to this process) a second later
            timers.append(threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)))
            timers[0].start()

    archived = run_notebook(
        "falla",
        {"modo": "espera"},
        settings=settings,
        notebooks_dir=NOTEBOOKS,
        limits=RunLimits(cell_timeout=60, total_timeout=60),
        on_progress=on_progress,
    )
    timers[0].join()
    assert archived.status == "interrupted"
    assert archived.record.failure is not None
    assert archived.record.failure.error_value == "ejecución interrumpida"


def test_nothing_is_left_in_staging_after_a_run(passed: tuple[ArchivedRecord, Settings]) -> None:
    _, settings = passed
    assert list((settings.archive_root / ".staging").iterdir()) == []


def test_settings_from_a_file_reach_the_kernel_through_its_environment(tmp_path: Path) -> None:
    from mailops.records.runner import settings_env

    config = tmp_path / "mailops.toml"
    config.write_text('primary_domain = "cajica.example"\narchive_root = "arch"\n')
    env = settings_env(load_settings(config, env={}))
    assert env["MAILOPS_CONFIG"] == str(config.resolve())
    assert env["MAILOPS_ARCHIVE_ROOT"] == str(tmp_path / "arch")


def test_a_kernel_that_cannot_start_is_archived_as_failed_at_start(settings: Settings) -> None:
    archived = run_notebook(
        "ok", {}, settings=settings, notebooks_dir=NOTEBOOKS, kernel_name="no-existe"
    )
    assert archived.status == "failed"
    assert archived.record.failure is not None
    assert archived.record.failure.cell_index is None
    assert archived.record.failure.detail == "inicio del kernel"
    assert archived.record.failure.error_name == "NoSuchKernel"
