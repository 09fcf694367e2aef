"""Fixtures: an emulator per test, settings pointing at it, and filled forms on disk."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from mailops.emulator import EmulatorServer
from mailops.provisioning.form import COLUMNS
from mailops.settings import Settings
from mailops.workspace import Workspace, connect

HEADERS = [c.header for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]


def person(**changes: str) -> dict[str, str]:
    """One valid row (by column key), with ``changes`` applied."""
    base = {
        "nombres": "María José",
        "apellidos": "Muñoz Peña",
        "documento": "52123456",
        "dependencia": "Secretaría de Hacienda",
        "cargo": "Profesional universitario",
        "vinculacion": "planta",
        "fecha_inicio": "01/02/2026",
        "fecha_fin": "",
        "correo_personal": "mj.munoz@gmail.example",
        "telefono": "300 123 4567",
        "grupos": "",
        "alias": "",
        "solicitado_por": "Jefe de Hacienda",
        "aprobado_por": "Secretario General",
    }
    base.update(changes)
    return base


def write_csv(
    path: Path,
    rows: Sequence[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(HEADERS)
        for r in rows:
            w.writerow([r.get(k, "") for k in KEYS])
    return path


def people(n: int, *, start: int = 0, dependencia: str = "hacienda") -> list[dict[str, str]]:
    """``n`` distinct valid people (documentos 70000000+i)."""
    given = ["Andrés", "Beatriz", "Camilo", "Diana", "Ñuflo", "Fabián", "Gloria", "Héctor"]
    family = ["Peña Ríos", "Muñoz Gómez", "Castaño Ruiz", "Zúñiga León", "Ibáñez Soto"]
    return [
        person(
            nombres=given[i % len(given)],
            apellidos=family[(i // len(given)) % len(family)],
            documento=str(70_000_000 + i),
            dependencia=dependencia,
            correo_personal="",
            telefono="",
        )
        for i in range(start, start + n)
    ]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorServer]:
    with EmulatorServer(tmp_path / "emu.sqlite3", seed="demo") as server:
        yield server


@pytest.fixture
def settings(emulator: EmulatorServer, tmp_path: Path) -> Settings:
    return Settings(
        emulator_url=emulator.base_url,
        state_dir=tmp_path / "estado",
        archive_root=tmp_path / "reports" / "archive",
    )


@pytest.fixture
def ws(settings: Settings) -> Iterator[Workspace]:
    with connect(settings, backoff_base=0.01) as workspace:
        yield workspace
