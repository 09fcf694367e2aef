"""``mailops service``: verify the mail service (activities 1, 2, 6, 7) and read Google's
Status Dashboard."""

from __future__ import annotations

import sys

import click

from mailops.cli.common import echo_json, get_settings

__all__ = ["service"]


@click.group("service")
def service() -> None:
    """Verificación del servicio de correo (actividades 1, 2, 6 y 7)."""


@service.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
@click.option(
    "--sin-prueba-correo", "skip_mail", is_flag=True, help="No enviar el mensaje de prueba."
)
@click.option(
    "--espera",
    type=click.FloatRange(0, 600),
    default=30.0,
    show_default=True,
    help="Segundos máximos de espera del mensaje de prueba.",
)
def verify(as_json: bool, skip_mail: bool, espera: float) -> None:
    """Verifica contrato, panel de estado, Admin SDK y recepción de correo.

    Termina con código 1 si alguna de las dos respuestas (¿Servicio OK?, ¿Servicio de correo
    electrónico activo?) es «No».
    """
    from mailops.diagnostics import verify_service
    from mailops.workspace import connect

    with connect(get_settings()) as ws:
        result = verify_service(ws, mail_test=not skip_mail, wait_seconds=espera)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(result.as_text())
    if result.service_ok is False or result.mail_active is False:
        sys.exit(1)


@service.command("status")
@click.option("--json", "as_json", is_flag=True, help="Salida JSON para scripts.")
@click.option("--producto", default="Gmail", show_default=True, help="Producto de Google.")
def status(as_json: bool, producto: str) -> None:
    """Consulta el panel de estado de Google Workspace: ¿está afectado el producto ahora?"""
    from mailops.workspace import connect

    with connect(get_settings()) as ws:
        _show(ws.status.product_status(producto), as_json)


def _show(answer: object, as_json: bool) -> None:
    from mailops.workspace import ProductStatus

    assert isinstance(answer, ProductStatus)
    if as_json:
        echo_json(
            {
                "producto": answer.product,
                "afectado": answer.affected,
                "desde": answer.since.isoformat() if answer.since else None,
                "resumen": answer.summary,
                "fuente": answer.feed_url,
                "incidentes_abiertos": [
                    {
                        "id": i.id,
                        "impacto": i.impact,
                        "severidad": i.severity,
                        "inicio": i.begin.isoformat() if i.begin else None,
                        "google_informa": i.latest_text,
                        "enlace": i.url,
                    }
                    for i in answer.open_incidents
                ],
            }
        )
        return
    click.echo(answer.summary)
    click.echo(f"Fuente: {answer.feed_url}")
