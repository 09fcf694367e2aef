"""The usage report of a period: who uses the mail, how much storage, who never logs in, who
lacks 2-Step Verification.

``build_usage_report`` fetches the Reports API (one row per user and day) and the directory
(dependencia of each user) and hands them to ``usage_frames``, a pure function that turns them
into the report's frames.

Example::

    report = build_usage_report(ws, date(2026, 10, 1), date(2026, 10, 31))
    report.by_dependencia, report.inactive, report.near_quota
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from mailops.errors import InputError
from mailops.workspace import User, Workspace
from mailops.workspace.reports import UsageResult

__all__ = [
    "USAGE_PARAMETERS",
    "UsageReport",
    "build_usage_report",
    "latest_usage_date",
    "usage_frames",
]

USAGE_PARAMETERS: tuple[str, ...] = (
    "accounts:last_login_time",
    "accounts:is_suspended",
    "accounts:is_2sv_enrolled",
    "accounts:used_quota_in_mb",
    "accounts:total_quota_in_mb",
    "accounts:used_quota_in_percentage",
    "gmail:num_emails_received",
    "gmail:num_emails_sent",
)
_NO_DEPENDENCIA = "(sin dependencia)"


@dataclass(frozen=True)
class UsageReport:
    """The frames of the usage report (Spanish column names) and notes about the data."""

    start: date
    end: date
    dates: tuple[date, ...]
    generated_at: datetime
    daily: pd.DataFrame
    users: pd.DataFrame
    by_dependencia: pd.DataFrame
    volume: pd.DataFrame
    inactive: pd.DataFrame
    near_quota: pd.DataFrame
    largest: pd.DataFrame
    notes: tuple[str, ...]
    near_quota_pct: int

    @property
    def adoption_2sv(self) -> float:
        """Share (0-1) of active accounts enrolled in 2-Step Verification."""
        alive = self.users[~self.users["suspendido"]]
        return float(alive["verificacion_2_pasos"].mean()) if len(alive) else 0.0

    def summary(self) -> dict[str, Any]:
        """The headline figures, JSON-able (for the record)."""
        alive = self.users[~self.users["suspendido"]]
        return {
            "desde": self.start.isoformat(),
            "hasta": self.end.isoformat(),
            "dias_con_datos": len(self.dates),
            "usuarios": len(self.users),
            "suspendidos": int(self.users["suspendido"].sum()),
            "activos": int(alive["activo"].sum()),
            "inactivos": len(self.inactive),
            "cerca_de_cuota": len(self.near_quota),
            "adopcion_2_pasos_pct": round(100 * self.adoption_2sv, 1),
            "correos_recibidos": int(self.volume["recibidos"].sum()),
            "correos_enviados": int(self.volume["enviados"].sum()),
            "almacenamiento_total_gb": round(
                float(self.users["almacenamiento_mb"].sum()) / 1024, 1
            ),
            "notas": list(self.notes),
        }


def _directory_frame(users: Sequence[User]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "usuario": pd.array([u.primary_email for u in users], dtype="string"),
            "nombre": [f"{u.given_name} {u.family_name}".strip() for u in users],
            "dependencia": [
                u.department or u.org_unit_path.strip("/") or _NO_DEPENDENCIA for u in users
            ],
        }
    )


def usage_frames(
    usage: UsageResult,
    users: Sequence[User],
    start: date,
    end: date,
    *,
    near_quota_pct: int = 80,
    top: int = 10,
    generated_at: datetime | None = None,
) -> UsageReport:
    """Turn usage rows (``Reports.user_usage_range`` with ``USAGE_PARAMETERS``) and the
    directory's users into the report's frames."""
    daily = usage.frame
    missing = [p for p in USAGE_PARAMETERS if p.startswith("accounts:") and p not in daily]
    if missing and len(daily):
        raise InputError(
            f"faltan parámetros de uso en los datos: {', '.join(missing)}",
            where="reporte de uso",
        )
    for name in USAGE_PARAMETERS:
        if name not in daily:
            daily[name] = pd.Series(pd.NA, index=daily.index, dtype="Int64")
    daily = daily.sort_values(["usuario", "fecha"], kind="stable")
    last = daily.groupby("usuario", sort=True).tail(1).set_index("usuario")
    totals = daily.groupby("usuario", sort=True)[
        ["gmail:num_emails_received", "gmail:num_emails_sent"]
    ].sum(min_count=0)
    period_start = pd.Timestamp(start, tz=UTC)
    period_end = pd.Timestamp(end + timedelta(days=1), tz=UTC)
    login = last["accounts:last_login_time"]
    frame = pd.DataFrame(
        {
            "usuario": last.index.astype("string"),
            "suspendido": last["accounts:is_suspended"].fillna(False).astype(bool).to_numpy(),
            "ultimo_acceso": login.to_numpy(),
            "verificacion_2_pasos": last["accounts:is_2sv_enrolled"]
            .fillna(False)
            .astype(bool)
            .to_numpy(),
            "almacenamiento_mb": last["accounts:used_quota_in_mb"]
            .fillna(0)
            .astype("int64")
            .to_numpy(),
            "cuota_mb": last["accounts:total_quota_in_mb"].fillna(0).astype("int64").to_numpy(),
            "porcentaje_cuota": last["accounts:used_quota_in_percentage"]
            .fillna(0)
            .astype("int64")
            .to_numpy(),
            "recibidos": totals["gmail:num_emails_received"].fillna(0).astype("int64").to_numpy(),
            "enviados": totals["gmail:num_emails_sent"].fillna(0).astype("int64").to_numpy(),
        }
    )
    frame["ultimo_acceso"] = pd.to_datetime(frame["ultimo_acceso"], utc=True)
    frame["activo"] = (frame["ultimo_acceso"] >= period_start) & (
        frame["ultimo_acceso"] < period_end
    )
    frame["dias_sin_acceso"] = (period_end - frame["ultimo_acceso"]).dt.days.astype("Int64")
    people = _directory_frame(users)
    frame = frame.merge(people, on="usuario", how="left")
    frame["dependencia"] = frame["dependencia"].fillna(_NO_DEPENDENCIA)
    frame["nombre"] = frame["nombre"].fillna("")
    frame = frame[
        [
            "usuario",
            "nombre",
            "dependencia",
            "suspendido",
            "activo",
            "ultimo_acceso",
            "dias_sin_acceso",
            "verificacion_2_pasos",
            "almacenamiento_mb",
            "cuota_mb",
            "porcentaje_cuota",
            "recibidos",
            "enviados",
        ]
    ]
    alive = frame[~frame["suspendido"]]
    by_dep = (
        frame.assign(
            inactivo=~frame["activo"] & ~frame["suspendido"],
            activo_vigente=frame["activo"] & ~frame["suspendido"],
            con_2sv=frame["verificacion_2_pasos"] & ~frame["suspendido"],
        )
        .groupby("dependencia", sort=True)
        .agg(
            usuarios=("usuario", "size"),
            activos=("activo_vigente", "sum"),
            inactivos=("inactivo", "sum"),
            suspendidos=("suspendido", "sum"),
            con_2_pasos=("con_2sv", "sum"),
            almacenamiento_mb=("almacenamiento_mb", "sum"),
        )
        .reset_index()
    )
    vigentes = by_dep["usuarios"] - by_dep["suspendidos"]
    by_dep["pct_2_pasos"] = (100 * by_dep["con_2_pasos"] / vigentes.where(vigentes > 0)).round(1)
    volume = (
        daily.groupby("fecha", sort=True)[["gmail:num_emails_received", "gmail:num_emails_sent"]]
        .sum(min_count=1)
        .rename(
            columns={"gmail:num_emails_received": "recibidos", "gmail:num_emails_sent": "enviados"}
        )
        .reset_index()
    )
    inactive = alive[~alive["activo"]].sort_values(
        ["dias_sin_acceso", "usuario"], ascending=[False, True], na_position="first"
    )
    near = alive[alive["porcentaje_cuota"] >= near_quota_pct].sort_values(
        ["porcentaje_cuota", "usuario"], ascending=[False, True]
    )
    largest = frame.sort_values(["almacenamiento_mb", "usuario"], ascending=[False, True]).head(top)
    notes = []
    if usage.unavailable:
        days = ", ".join(d.isoformat() for d in usage.unavailable)
        notes.append(f"Google aún no publica datos de uso de: {days}.")
    if usage.partial_dates:
        days = ", ".join(d.isoformat() for d in usage.partial_dates)
        notes.append(
            f"Datos parciales (Google informa que faltan datos de Gmail) en: {days}; el volumen "
            "de correo de esos días está incompleto."
        )
    return UsageReport(
        start=start,
        end=end,
        dates=usage.dates,
        generated_at=generated_at or datetime.now(UTC),
        daily=daily.reset_index(drop=True),
        users=frame.reset_index(drop=True),
        by_dependencia=by_dep,
        volume=volume,
        inactive=inactive.reset_index(drop=True),
        near_quota=near.reset_index(drop=True),
        largest=largest.reset_index(drop=True),
        notes=tuple(notes),
        near_quota_pct=near_quota_pct,
    )


def build_usage_report(
    ws: Workspace,
    start: date,
    end: date,
    *,
    near_quota_pct: int = 80,
    top: int = 10,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> UsageReport:
    """Fetch the period's usage and the directory, and build the report."""
    if end < start:
        raise InputError(
            f"la fecha final {end.isoformat()} es anterior a la inicial {start.isoformat()}",
            where="periodo del reporte",
        )
    if not 1 <= near_quota_pct <= 100:
        raise InputError(
            f"debe estar entre 1 y 100, no {near_quota_pct}", where="umbral de cuota (%)"
        )
    usage = ws.reports.user_usage_range(start, end, parameters=list(USAGE_PARAMETERS))
    if not usage.dates:
        last = latest_usage_date(ws)
        raise InputError(
            f"Google aún no publica datos de uso para {start.isoformat()} a {end.isoformat()}; "
            f"elija un periodo que termine a más tardar el {last.isoformat()}",
            where="periodo del reporte",
        )
    users = ws.directory.users_list()
    return usage_frames(
        usage, users, start, end, near_quota_pct=near_quota_pct, top=top, generated_at=clock()
    )


def latest_usage_date(ws: Workspace) -> date:
    """The last day Google publishes user usage for (asked with one small request that steps
    back over the data delay, as GAM does)."""
    probe = ws.reports.user_usage(
        user=ws.settings.delegated_admin, parameters=["accounts:is_suspended"]
    )
    return probe.dates[0]
