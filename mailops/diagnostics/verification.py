"""Service verification (activities 1, 2, 6 and 7), answered with evidence.

Four checks, each a fact with its evidence: the contract the office records (number,
provider, end date, a warning N days before it ends), the Google Workspace Status Dashboard
(open Gmail incidents), the Admin SDK answering with the delegated admin's rights, and a test
message that must arrive in the test mailbox. Two answers follow:

* activity 2, "¿Servicio OK?": the contract is in force and the Admin SDK answers;
* activity 7, "¿Servicio de correo electrónico activo?": no open Gmail outage and the test
  message arrived.

An answer is None ("sin datos") when a fact it needs could not be established.

Example::

    result = verify_service(ws)
    result.service_ok, result.mail_active
    report = result.as_text()
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from mailops.diagnostics.activation import run_activation_test
from mailops.errors import ForbiddenError, WorkspaceError
from mailops.settings import Contract
from mailops.workspace import Workspace

__all__ = ["CHECK_LABELS", "Check", "ServiceVerification", "answer_label", "verify_service"]

CHECK_LABELS: dict[str, str] = {
    "contrato": "Contrato del servicio (actividad 1)",
    "panel_estado": "Panel de estado de Google Workspace (actividad 6)",
    "admin_sdk": "Acceso del administrador delegado (Admin SDK)",
    "prueba_correo": "Prueba de envío y recepción de correo (actividad 6)",
}


def answer_label(value: bool | None) -> str:
    return {True: "Sí", False: "No", None: "Sin datos"}[value]


@dataclass(frozen=True)
class Check:
    """One verified fact: ``ok`` True, False or None (could not tell), a Spanish summary and
    the evidence (JSON-able) it rests on."""

    name: str
    ok: bool | None
    summary: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class ServiceVerification:
    """The checks and the answers to activities 2 and 7."""

    checked_at: datetime
    checks: tuple[Check, ...]

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def _ok(self, name: str) -> bool | None:
        found = self.check(name)
        return None if found is None else found.ok

    @property
    def service_ok(self) -> bool | None:
        """Activity 2, ¿Servicio OK?: contract in force and the Admin SDK answers."""
        facts = [self._ok("contrato"), self._ok("admin_sdk")]
        if False in facts:
            return False
        return None if None in facts else True

    @property
    def mail_active(self) -> bool | None:
        """Activity 7, ¿Servicio de correo electrónico activo?: no open Gmail outage and the
        test message arrived (an unreadable dashboard does not veto a delivered message)."""
        status, mail = self._ok("panel_estado"), self._ok("prueba_correo")
        if status is False or mail is False:
            return False
        return True if mail is True else None

    def reason(self, activity: int) -> str:
        """Why activity 2 or 7 was answered as it was: the summaries of the checks behind it."""
        names = {2: ("contrato", "admin_sdk"), 7: ("panel_estado", "prueba_correo")}.get(activity)
        if names is None:
            raise ValueError(f"the verification answers activities 2 and 7, not {activity}")
        found = [c for c in (self.check(n) for n in names) if c is not None]
        return "; ".join(f"{c.label}: {c.summary}" for c in found) or "sin verificaciones"

    def evidence(self, *names: str) -> dict[str, Any]:
        """The named checks' result and evidence, JSON-safe, for the procedure run."""
        return {
            c.name: {"ok": c.ok, "resumen": c.summary, **dict(c.evidence)}
            for c in self.checks
            if c.name in names
        }

    def as_frame(self) -> pd.DataFrame:
        """One row per check plus the two answers, with Spanish headings."""
        rows = [
            {"verificación": c.label, "resultado": answer_label(c.ok), "detalle": c.summary}
            for c in self.checks
        ]
        rows.append(
            {
                "verificación": "Actividad 2 — ¿Servicio OK?",
                "resultado": answer_label(self.service_ok),
                "detalle": "Contrato vigente y Admin SDK con permisos del administrador.",
            }
        )
        rows.append(
            {
                "verificación": "Actividad 7 — ¿Servicio de correo electrónico activo?",
                "resultado": answer_label(self.mail_active),
                "detalle": "Sin caída abierta de Gmail y el mensaje de prueba llegó.",
            }
        )
        return pd.DataFrame(rows, columns=["verificación", "resultado", "detalle"])

    def as_text(self) -> str:
        lines = [f"Verificación del servicio de correo — {self.checked_at:%Y-%m-%d %H:%M} UTC"]
        for c in self.checks:
            lines.append(f"[{answer_label(c.ok):^9}] {c.label}: {c.summary}")
        lines.append(f"¿Servicio OK? (actividad 2): {answer_label(self.service_ok)}")
        lines.append(
            "¿Servicio de correo electrónico activo? (actividad 7): "
            f"{answer_label(self.mail_active)}"
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "verificado_en": self.checked_at.isoformat(),
            "servicio_ok": self.service_ok,
            "correo_activo": self.mail_active,
            "verificaciones": [
                {"nombre": c.name, "ok": c.ok, "resumen": c.summary, "evidencia": dict(c.evidence)}
                for c in self.checks
            ],
        }


def check_contract(contract: Contract | None, today: date) -> Check:
    if contract is None:
        return Check(
            "contrato",
            None,
            "No hay datos del contrato registrados: agregue la sección [contract] (número, "
            "proveedor, fecha de fin) en mailops.toml.",
        )
    left = contract.days_left(today)
    evidence: dict[str, Any] = {
        "numero": contract.number,
        "proveedor": contract.provider,
        "producto": contract.product,
        "inicio": contract.start.isoformat() if contract.start else None,
        "fin": contract.end.isoformat(),
        "dias_restantes": left,
        "aviso_dias": contract.warn_days,
        "aviso": 0 <= left <= contract.warn_days,
    }
    name = f"Contrato {contract.number} con {contract.provider} ({contract.product})"
    if contract.start is not None and today < contract.start:
        return Check(
            "contrato", False, f"{name}: aún no ha iniciado (inicia el {contract.start}).", evidence
        )
    if left < 0:
        return Check(
            "contrato", False, f"{name}: venció el {contract.end} (hace {-left} días).", evidence
        )
    if left <= contract.warn_days:
        return Check(
            "contrato",
            True,
            f"{name}: vigente, pero vence el {contract.end} (en {left} días). Atención: "
            "inicie la renovación.",
            evidence,
        )
    return Check(
        "contrato", True, f"{name}: vigente hasta el {contract.end} ({left} días).", evidence
    )


def check_status(ws: Workspace) -> Check:
    try:
        status = ws.status.gmail()
    except WorkspaceError as exc:
        return Check(
            "panel_estado",
            None,
            f"No se pudo consultar el panel de estado: {exc}",
            {"url": ws.status.feed_url},
        )
    evidence = {
        "url": status.feed_url,
        "afectado": status.affected,
        "desde": status.since.isoformat() if status.since else None,
        "incidentes_abiertos": [
            {
                "id": i.id,
                "impacto": i.impact,
                "inicio": i.begin.isoformat() if i.begin else None,
                "google_informa": i.latest_text,
                "enlace": i.url,
            }
            for i in status.open_incidents
        ],
    }
    return Check("panel_estado", not status.affected, status.summary, evidence)


def check_admin_sdk(ws: Workspace) -> Check:
    admin = ws.settings.delegated_admin
    try:
        user = ws.directory.users_get(admin)
    except ForbiddenError as exc:
        return Check(
            "admin_sdk",
            False,
            f"El Admin SDK rechazó la consulta del administrador delegado {admin}: revise la "
            f"delegación de dominio y los privilegios ({exc.message}).",
            {"administrador": admin, "estado": exc.status, "razon": exc.reason},
        )
    except WorkspaceError as exc:
        return Check(
            "admin_sdk",
            False,
            f"El Admin SDK no respondió a la consulta de {admin}: {exc}",
            {"administrador": admin, "estado": exc.status, "razon": exc.reason},
        )
    evidence = {
        "administrador": admin,
        "es_administrador": user.is_admin,
        "id": user.id,
        "suspendido": user.suspended,
    }
    if not user.is_admin or user.suspended:
        why = "está suspendido" if user.suspended else "no tiene rol de superadministrador"
        return Check("admin_sdk", False, f"El Admin SDK responde, pero {admin} {why}.", evidence)
    return Check(
        "admin_sdk", True, f"El Admin SDK responde y {admin} tiene rol de administrador.", evidence
    )


def verify_service(
    ws: Workspace,
    *,
    contract: Contract | None = None,
    mail_test: bool = True,
    wait_seconds: float = 30.0,
    poll_seconds: float = 2.0,
    token: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> ServiceVerification:
    """Verify the service; ``contract`` overrides the one in the settings.

    ``mail_test=False`` skips sending (the check is then "sin datos").
    """
    now = clock()
    checks = [
        check_contract(contract or ws.settings.contract, now.date()),
        check_status(ws),
        check_admin_sdk(ws),
    ]
    if mail_test:
        result = run_activation_test(
            ws,
            token=token,
            wait_seconds=wait_seconds,
            poll_seconds=poll_seconds,
            sleep=sleep,
            monotonic=monotonic,
            clock=clock,
        )
        checks.append(Check("prueba_correo", result.ok, result.summary, result.evidence()))
    else:
        checks.append(Check("prueba_correo", None, "Prueba de correo omitida a solicitud."))
    return ServiceVerification(now, tuple(checks))
