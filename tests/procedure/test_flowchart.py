from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Polygon
from matplotlib.text import Text

from mailops.procedure import (
    Operator,
    Procedure,
    ProcedureDefinitionError,
    ProcedureRun,
    RunRecordError,
    RunRequest,
    parse_procedure,
    render_flowchart,
)
from mailops.procedure.flowchart import CURRENT_COLOR, EDGE_COLOR, PATH_COLOR

Clock = Callable[[], dt.datetime]
PATH = [1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]


@pytest.fixture
def run(proc: Procedure, operator: Operator, request_: RunRequest, clock: Clock) -> ProcedureRun:
    run = ProcedureRun.start(proc, request=request_, operator=operator, clock=clock, run_id="run-7")
    for target in PATH[1:]:
        run.move_to(target, reason="prueba")
    return run


def patches(fig: Figure) -> dict[str, Patch]:
    return {str(p.get_gid()): p for p in fig.axes[0].patches if p.get_gid()}


def edges(fig: Figure) -> dict[str, Line2D]:
    return {
        str(ln.get_gid()): ln
        for ln in fig.axes[0].lines
        if (ln.get_gid() or "").startswith("edge-")
    }


def color_pixels(png: Path, color: str, tolerance: float = 0.06) -> int:
    image = imread(png)[..., :3]
    distance = np.abs(image - np.array(to_rgb(color))).max(axis=-1)
    return int((distance < tolerance).sum())


def test_the_flowchart_renders_to_png(proc: Procedure, tmp_path: Path) -> None:
    out = tmp_path / "procedimiento.png"
    render_flowchart(proc).savefig(out, dpi=60)
    height, width = imread(out).shape[:2]
    assert width == 720 and height > 500


def test_the_flowchart_renders_to_svg_with_named_shapes(proc: Procedure, tmp_path: Path) -> None:
    out = tmp_path / "procedimiento.svg"
    render_flowchart(proc).savefig(out)
    svg = out.read_text(encoding="utf-8")
    assert 'id="activity-24"' in svg and 'id="edge-12-9"' in svg


def test_the_figure_is_notebook_width(proc: Procedure) -> None:
    width, height = render_flowchart(proc).get_size_inches()
    assert 10 <= width <= 12.5 and height < 12


def test_decisions_are_diamonds_and_activities_boxes(proc: Procedure) -> None:
    shapes = patches(render_flowchart(proc))
    diamonds = {int(gid.split("-")[1]) for gid, p in shapes.items() if isinstance(p, Polygon)}
    boxes = {int(gid.split("-")[1]) for gid, p in shapes.items() if isinstance(p, FancyBboxPatch)}
    assert diamonds == {2, 4, 7, 10, 12, 14, 16, 18}
    assert boxes == set(range(1, 25)) - diamonds


def test_every_flow_edge_is_drawn_with_si_no_labels_on_decisions(proc: Procedure) -> None:
    fig = render_flowchart(proc)
    declared = {f"edge-{a.number}-{t}" for a in proc.activities.values() for t in a.successors}
    assert set(edges(fig)) == declared
    labels = {
        t.get_gid(): t.get_text()
        for t in fig.axes[0].texts
        if (t.get_gid() or "").startswith("edge-label-")
    }
    assert labels["edge-label-2-4"] == "SÍ" and labels["edge-label-2-3"] == "NO"
    assert labels["edge-label-12-9"] == "NO" and labels["edge-label-10-7"] == "NO"
    assert sorted(labels.values()).count("SÍ") == 8 and len(labels) == 16


def test_boxes_are_filled_by_role_with_a_legend(proc: Procedure) -> None:
    fig = render_flowchart(proc)
    shapes = patches(fig)
    assert shapes["activity-1"].get_facecolor() == shapes["activity-17"].get_facecolor()  # Director
    assert shapes["activity-1"].get_facecolor() != shapes["activity-3"].get_facecolor()
    legend_box = fig.axes[0].get_legend()
    assert legend_box is not None
    legend = [t.get_text() for t in legend_box.get_texts()]
    assert (
        "Responsable: Director TICS-CTEI" in legend
        and "Responsable: Profesional Universitario" in legend
    )


def crossings(fig: Figure) -> list[str]:
    """Edges whose lines pass through a shape other than at their own two ends."""
    shapes = list(patches(fig).values())
    found = []
    for gid, line in edges(fig).items():
        points = np.column_stack(line.get_data())
        for a, b in itertools.pairwise(points):
            samples = [a + (b - a) * f for f in np.linspace(0.0, 1.0, 40)]
            inner = [
                p
                for p in samples
                if min(np.abs(p - points[0]).sum(), np.abs(p - points[-1]).sum()) > 0.05
            ]
            for shape in shapes:
                path = shape.get_path().transformed(shape.get_patch_transform())
                if path.contains_points(inner).any():
                    found.append(f"{gid} cruza {shape.get_gid()}")
    return found


def test_no_edge_runs_through_a_box(proc: Procedure) -> None:
    assert crossings(render_flowchart(proc)) == []


def test_a_revised_definition_draws_without_code_changes(
    raw_definition: dict[str, Any],
) -> None:
    activities = raw_definition["activities"]
    next(a for a in activities if a["number"] == 23)["next"] = 25
    activities.append(
        {
            "number": 25,
            "description": "Encuesta de satisfacción al solicitante",
            "dependencia": "Dirección TICS-CTEI",
            "role": "Profesional Universitario",
            "kind": "activity",
            "next": 24,
            "notebook": "00_procedimiento",
        }
    )
    fig = render_flowchart(parse_procedure(raw_definition))
    assert "activity-25" in patches(fig) and {"edge-23-25", "edge-25-24"} <= set(edges(fig))
    assert crossings(fig) == []


def test_text_is_large_enough_to_read_in_a_notebook(proc: Procedure, run: ProcedureRun) -> None:
    fig = render_flowchart(proc, run)
    sizes = [float(t.get_fontsize()) for t in fig.findobj(Text) if t.get_text().strip()]
    assert min(sizes) >= 7.5


def test_a_runs_path_is_drawn_in_the_path_colour(proc: Procedure, run: ProcedureRun) -> None:
    lines = edges(render_flowchart(proc, run))
    walked = {f"edge-{a}-{b}" for a, b in itertools.pairwise(PATH)}
    for gid, line in lines.items():
        expected = PATH_COLOR if gid in walked else EDGE_COLOR
        assert line.get_color() == expected, gid


def test_the_current_activity_gets_a_thick_border_and_a_marker(
    proc: Procedure, run: ProcedureRun
) -> None:
    fig = render_flowchart(proc, run)
    shapes = patches(fig)
    current = shapes["activity-15"]
    assert to_rgb(current.get_edgecolor()) == to_rgb(CURRENT_COLOR)
    assert current.get_linewidth() > max(
        p.get_linewidth() for g, p in shapes.items() if g != "activity-15"
    )
    assert [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "current-marker"] == [
        "▶ actual"
    ]


def test_the_highlighted_path_is_visible_in_the_png(
    proc: Procedure, run: ProcedureRun, tmp_path: Path
) -> None:
    plain, walked = tmp_path / "sin.png", tmp_path / "con.png"
    render_flowchart(proc).savefig(plain, dpi=60)
    render_flowchart(proc, run).savefig(walked, dpi=60)
    assert color_pixels(plain, PATH_COLOR) == 0
    assert color_pixels(walked, PATH_COLOR) > 3000
    assert color_pixels(walked, CURRENT_COLOR) > 200


def test_a_finished_run_marks_no_current_activity(proc: Procedure, run: ProcedureRun) -> None:
    finished = ProcedureRun.start(proc, request=run.request, operator=run.operator, run_id="fin")
    for target in (2, 4, 6, 7, 12, 13, 14, 21, 22, 23, 24):
        finished.move_to(target, reason="prueba")
    finished.complete()
    fig = render_flowchart(proc, finished)
    assert not [t for t in fig.axes[0].texts if t.get_gid() == "current-marker"]
    assert edges(fig)["edge-23-24"].get_color() == PATH_COLOR


def test_a_run_of_another_version_is_refused(
    proc: Procedure, run: ProcedureRun, raw_definition: dict[str, object]
) -> None:
    raw_definition["version"] = "02"
    other = parse_procedure(raw_definition)
    with pytest.raises(
        RunRecordError,
        match=r"la ejecución run-7 es del procedimiento GTI-PR-05 versión 01, no de GTI-PR-05 versión 02",
    ):
        render_flowchart(other, run)


def test_something_that_is_not_a_procedure_is_refused() -> None:
    with pytest.raises(
        ProcedureDefinitionError,
        match=r"diagrama de flujo necesita un Procedure \(de load_procedure\), no dict",
    ):
        render_flowchart({}, None)  # type: ignore[arg-type]
