"""Service verification (activities 2 and 7) against the emulator: a healthy domain, an
emulated Gmail outage, contract states, admin rights and the activation mail test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailops.diagnostics import ServiceVerification, run_activation_test, verify_service
from mailops.emulator import EmulatorServer
from mailops.settings import Contract
from mailops.workspace import Workspace
from tests.emulator_apis.support import (
    ADMIN,
    NOW,
    TODAY,
    Clock,
    running_emulator,
    set_gmail_outage,
    workspace,
)

IN_FORCE = Contract(
    "CD-TICS-045-2026",
    "Distribuidor autorizado",
    date(2027, 6, 30),
    start=date(2026, 2, 1),
    warn_days=45,
)


class FakeTime:
    """monotonic() that moves only when sleep() is called."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path, Clock()) as emu:
        yield emu


@pytest.fixture
def ws(server: EmulatorServer, tmp_path: Path) -> Iterator[Workspace]:
    with workspace(server, tmp_path, contract=IN_FORCE) as connected:
        yield connected


def verify(ws: Workspace, **kw: Any) -> ServiceVerification:
    fake = FakeTime()
    return verify_service(
        ws,
        clock=lambda: NOW,
        sleep=fake.sleep,
        monotonic=fake.monotonic,
        token="MAILOPS-PRUEBA01",
        wait_seconds=5,
        poll_seconds=1,
        **kw,
    )


def test_a_healthy_domain_answers_yes_to_activities_2_and_7(ws: Workspace) -> None:
    result = verify(ws)
    assert [c.name for c in result.checks] == [
        "contrato",
        "panel_estado",
        "admin_sdk",
        "prueba_correo",
    ]
    assert all(c.ok for c in result.checks)
    assert result.service_ok is True
    assert result.mail_active is True


def test_the_text_rendering_gives_both_answers_in_spanish(ws: Workspace) -> None:
    text = verify(ws).as_text()
    assert "¿Servicio OK? (actividad 2): Sí" in text
    assert "¿Servicio de correo electrónico activo? (actividad 7): Sí" in text
    assert "vigente hasta el 2027-06-30" in text


def test_the_frame_has_one_row_per_check_and_per_answer(ws: Workspace) -> None:
    frame = verify(ws).as_frame()
    assert list(frame.columns) == ["verificación", "resultado", "detalle"]
    assert len(frame) == 6
    assert frame["resultado"].tolist() == ["Sí"] * 6


def test_the_evidence_is_json_for_the_record(ws: Workspace) -> None:
    data = json.loads(json.dumps(verify(ws).to_json()))
    mail = next(c for c in data["verificaciones"] if c["nombre"] == "prueba_correo")
    assert data["servicio_ok"] is True
    assert mail["evidencia"]["codigo_prueba"] == "MAILOPS-PRUEBA01"
    assert mail["evidencia"]["recipient"] == ADMIN


def test_an_emulated_gmail_outage_answers_no_to_activity_7(
    ws: Workspace, server: EmulatorServer
) -> None:
    set_gmail_outage(server.base_url, True)
    result = verify(ws)
    status = result.check("panel_estado")
    mail = result.check("prueba_correo")
    assert status is not None and status.ok is False
    assert "Google informa:" in status.summary
    assert status.evidence["desde"] == NOW.isoformat()
    assert mail is not None and mail.ok is False
    assert "No se pudo enviar el mensaje de prueba" in mail.summary
    assert result.mail_active is False
    assert result.service_ok is True


def test_a_contract_near_its_end_is_ok_with_a_warning(
    server: EmulatorServer, tmp_path: Path
) -> None:
    ending = Contract("CD-1", "Proveedor", TODAY + timedelta(days=20), warn_days=30)
    with workspace(server, tmp_path, contract=ending) as ws:
        check = verify(ws, mail_test=False).check("contrato")
    assert check is not None and check.ok is True
    assert "vence el 2026-12-10 (en 20 días). Atención: inicie la renovación." in check.summary
    assert check.evidence["aviso"] is True


def test_an_expired_contract_answers_no_to_activity_2(
    server: EmulatorServer, tmp_path: Path
) -> None:
    expired = Contract("CD-0", "Proveedor", TODAY - timedelta(days=3))
    with workspace(server, tmp_path, contract=expired) as ws:
        result = verify(ws, mail_test=False)
    check = result.check("contrato")
    assert check is not None and check.ok is False
    assert "venció el 2026-11-17 (hace 3 días)" in check.summary
    assert result.service_ok is False


def test_without_contract_facts_activity_2_cannot_be_answered(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with workspace(server, tmp_path) as ws:
        result = verify(ws, mail_test=False)
    check = result.check("contrato")
    assert check is not None and check.ok is None
    assert "agregue la sección [contract]" in check.summary
    assert result.service_ok is None


def test_a_contract_given_to_the_call_overrides_the_settings(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with workspace(server, tmp_path) as ws:
        result = verify(ws, contract=IN_FORCE, mail_test=False)
    assert result.service_ok is True


def test_a_delegated_admin_without_admin_role_answers_no(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with workspace(server, tmp_path, contract=IN_FORCE) as ws:
        someone = ws.directory.users_list(query="isAdmin=false")[0].primary_email
    with workspace(server, tmp_path, contract=IN_FORCE, delegated_admin=someone) as ws:
        result = verify(ws, mail_test=False)
    check = result.check("admin_sdk")
    assert check is not None and check.ok is False
    assert f"{someone} no tiene rol de superadministrador" in check.summary
    assert result.service_ok is False


def test_an_unknown_delegated_admin_answers_no(server: EmulatorServer, tmp_path: Path) -> None:
    with workspace(
        server, tmp_path, contract=IN_FORCE, delegated_admin="nadie@cajica.example"
    ) as ws:
        result = verify(ws, mail_test=False)
    check = result.check("admin_sdk")
    assert check is not None and check.ok is False
    assert "El Admin SDK no respondió a la consulta de nadie@cajica.example" in check.summary
    assert check.evidence["estado"] == 404


def test_skipping_the_mail_test_leaves_activity_7_without_an_answer(ws: Workspace) -> None:
    result = verify(ws, mail_test=False)
    assert result.mail_active is None


def test_the_activation_message_reaches_a_separate_test_mailbox(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with workspace(server, tmp_path, test_mailbox="pqrs@cajica.example") as ws:
        fake = FakeTime()
        result = run_activation_test(
            ws, token="MAILOPS-ABCD", sleep=fake.sleep, monotonic=fake.monotonic
        )
        (found,) = ws.gmail.search("pqrs@cajica.example", "subject:MAILOPS-ABCD")
    assert result.ok
    assert result.recipient == "pqrs@cajica.example"
    assert found.subject == "Prueba de activación del correo institucional [MAILOPS-ABCD]"
    assert fake.sleeps == []


def test_the_wait_for_a_message_that_never_arrives_is_bounded(
    server: EmulatorServer, tmp_path: Path
) -> None:
    with workspace(server, tmp_path) as ws:
        suspended = ws.directory.users_list(query="isSuspended=true")[0].primary_email
    with workspace(server, tmp_path, test_mailbox=suspended) as ws:
        fake = FakeTime()
        result = run_activation_test(
            ws,
            token="MAILOPS-NUNCA",
            wait_seconds=6,
            poll_seconds=2,
            sleep=fake.sleep,
            monotonic=fake.monotonic,
        )
    assert not result.ok
    assert result.sent_id is not None
    assert result.polls == 4
    assert fake.sleeps == [2, 2, 2]
    assert "no apareció en el buzón" in result.summary
