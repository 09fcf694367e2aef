from __future__ import annotations

from mailops.overview import domain_overview
from mailops.workspace import Workspace


def test_overview_counts_users_per_dependencia_groups_and_org_units(
    shared_workspace: Workspace,
) -> None:
    o = domain_overview(shared_workspace)
    users = shared_workspace.directory.users_list()
    assert o.users == len(users) == int(o.by_dependencia["usuarios"].sum())
    assert o.suspended == sum(u.suspended for u in users) > 0
    assert (
        o.by_dependencia["activos"] + o.by_dependencia["suspendidos"]
        == o.by_dependencia["usuarios"]
    ).all()
    hacienda = o.by_dependencia.set_index("dependencia").loc["Secretaría de Hacienda"]
    assert hacienda["unidad_organizativa"] == "/Secretaría de Hacienda"
    assert "hacienda@cajica.example" in set(o.groups["correo"])
    assert "/Secretaría de Hacienda" in o.org_units
    text = o.as_text()
    assert "Alcaldía Municipal de Cajicá" in text
    assert "dominio de Gobierno en Línea" in text
    assert "Secretaría de Hacienda" in text
    assert o.as_dict()["usuarios"] == o.users
