"""The procedure's flowchart, drawn with matplotlib (no display needed: PNG and SVG offline).

Layout: the activities flow top to bottom in columns of ``ROWS`` boxes, left to right. Edges to
the next box in a column are straight arrows; every other edge (skips, loops back, jumps to
another column) runs in the channel between two columns, each in its own lane so that lines do
not run over boxes. Decisions are diamonds with "SÍ"/"NO" on their edges; fill colour shows the
responsible role. Given a run, the path it took is drawn in a strong colour and the current
activity gets a thick border and a "▶ actual" tag.

Every drawn artist carries a ``gid`` (``activity-7``, ``edge-10-7``, ``edge-label-10-7``) so tests
and SVG readers can find them.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Polygon

from mailops.procedure.definition import Activity, Procedure
from mailops.procedure.run import ProcedureRun, ensure_run_of

__all__ = ["CURRENT_COLOR", "EDGE_COLOR", "PATH_COLOR", "ROLE_COLORS", "render_flowchart"]

ROWS = 6
WIDTH_IN = 12.0
ROW_PITCH = 1.32
BOX_H = 0.8
DIAMOND_H = 0.98
CHANNEL = 0.95
MARGIN = 0.3
TITLE_H = 0.75
TOP_ZONE = 0.45
BOTTOM_ZONE = 0.35
LEGEND_H = 0.55
SIDE_OFFSET = 0.2  # fraction of the box height: exits below the middle, entries above it

EDGE_COLOR = "#6b6b6b"
PATH_COLOR = "#d9480f"
CURRENT_COLOR = "#a61e4d"
BOX_EDGE = "#4a4a4a"
ROLE_COLORS: tuple[str, ...] = ("#cfe2f3", "#d9ead3", "#fff2cc", "#ead1dc")
FONT = 9.0


@dataclass
class _Edge:
    source: int
    target: int
    label: str | None
    kind: str  # "down" | "wrap" | "side" | "top"
    gaps: tuple[int, ...] = ()
    group: str = "middle"  # which column of the channel its short segments attach to
    span: tuple[float, float] = (0.0, 0.0)
    lanes: list[float] = field(default_factory=list)


class _Layout:
    def __init__(self, proc: Procedure) -> None:
        numbers = list(proc.activities)
        self.rows = min(ROWS, len(numbers))
        self.cols = math.ceil(len(numbers) / self.rows)
        self.width = WIDTH_IN
        self.height = TITLE_H + TOP_ZONE + self.rows * ROW_PITCH + BOTTOM_ZONE + LEGEND_H
        self.pitch = (self.width - 2 * MARGIN) / self.cols
        self.box_w = self.pitch - CHANNEL
        self.cell = {n: divmod(i, self.rows)[::-1] for i, n in enumerate(numbers)}
        self.col_len = [min(self.rows, len(numbers) - c * self.rows) for c in range(self.cols)]

    def col_of(self, n: int) -> int:
        return self.cell[n][1]

    def row_of(self, n: int) -> int:
        return self.cell[n][0]

    def cx(self, col: int) -> float:
        return MARGIN + self.pitch * (col + 0.5)

    def cy(self, row: int) -> float:
        return self.height - TITLE_H - TOP_ZONE - ROW_PITCH * (row + 0.5)

    def center(self, n: int) -> tuple[float, float]:
        return self.cx(self.col_of(n)), self.cy(self.row_of(n))

    @property
    def y_above(self) -> float:
        return self.cy(0) + DIAMOND_H / 2 + TOP_ZONE * 0.5

    @property
    def y_top_lane(self) -> float:
        return self.cy(0) + DIAMOND_H / 2 + TOP_ZONE * 0.85

    @property
    def y_below(self) -> float:
        return self.cy(self.rows - 1) - DIAMOND_H / 2 - BOTTOM_ZONE * 0.45

    def gap_span(self, gap: int) -> tuple[float, float]:
        left = 0.0 if gap == 0 else self.cx(gap - 1) + self.box_w / 2
        right = self.width if gap == self.cols else self.cx(gap) - self.box_w / 2
        return left, right


def _half_h(activity: Activity) -> float:
    return (DIAMOND_H if activity.kind == "decision" else BOX_H) / 2


def _side_x(activity: Activity, layout: _Layout, side: int, dy: float) -> float:
    """x of the point on the left (-1) or right (+1) outline of a shape at height offset dy."""
    cx, _ = layout.center(activity.number)
    half = layout.box_w / 2
    if activity.kind == "decision":
        half *= 1 - abs(dy) / (DIAMOND_H / 2)
    return cx + side * half


def _classify(proc: Procedure, layout: _Layout) -> list[_Edge]:
    edges: list[_Edge] = []
    for a in proc.activities.values():
        targets: list[tuple[int, str | None]]
        if a.kind == "decision":
            assert a.yes is not None and a.no is not None
            targets = [(a.yes, "SÍ"), (a.no, "NO")]
        else:
            targets = [(a.next, None)] if a.next is not None else []
        for t, label in targets:
            cs, rs, ct, rt = (
                layout.col_of(a.number),
                layout.row_of(a.number),
                layout.col_of(t),
                layout.row_of(t),
            )
            ys, yt = layout.cy(rs), layout.cy(rt)
            if cs == ct and rt == rs + 1:
                edges.append(_Edge(a.number, t, label, "down"))
            elif ct > cs and rt == 0 and rs == layout.col_len[cs] - 1:
                edges.append(
                    _Edge(
                        a.number, t, label, "wrap", (cs + 1,), span=(layout.y_below, layout.y_above)
                    )
                )
            else:
                forward = t > a.number
                exit_gap = cs + 1 if forward else cs
                if ct == cs:
                    entry_gap, group = exit_gap, ("left" if forward else "right")
                elif ct == cs + 1 and forward:
                    entry_gap, group = ct, "middle"
                elif ct == cs - 1 and not forward:
                    entry_gap, group = ct + 1, "middle"
                else:
                    entry_gap, group = (ct if forward else ct + 1), "middle"
                y0 = ys - SIDE_OFFSET * BOX_H
                y1 = yt + SIDE_OFFSET * BOX_H
                if entry_gap == exit_gap:
                    edges.append(
                        _Edge(
                            a.number,
                            t,
                            label,
                            "side",
                            (exit_gap,),
                            group,
                            (min(y0, y1), max(y0, y1)),
                        )
                    )
                else:
                    edges.append(
                        _Edge(
                            a.number,
                            t,
                            label,
                            "top",
                            (exit_gap, entry_gap),
                            "middle",
                            (min(y0, y1), layout.y_top_lane),
                        )
                    )
    return edges


def _assign_lanes(edges: list[_Edge], layout: _Layout) -> None:
    """Give each channel edge its own x, reusing a lane only when vertical spans do not overlap."""
    for gap in range(layout.cols + 1):
        users = [(e, i) for e in edges for i, g in enumerate(e.gaps) if g == gap]
        groups: dict[str, list[list[tuple[float, float]]]] = {"left": [], "middle": [], "right": []}
        chosen: list[tuple[_Edge, int, str, int]] = []
        for e, i in sorted(users, key=lambda u: u[0].span[1] - u[0].span[0]):
            lanes = groups[e.group]
            free = (
                k
                for k, taken in enumerate(lanes)
                if all(e.span[1] < lo + 0.01 or e.span[0] > hi - 0.01 for lo, hi in taken)
            )
            k = next(free, len(lanes))
            if k == len(lanes):
                lanes.append([])
            lanes[k].append(e.span)
            chosen.append((e, i, e.group, k))
        n_left, n_mid, n_right = (len(groups[g]) for g in ("left", "middle", "right"))
        total = n_left + n_mid + n_right
        lo, hi = layout.gap_span(gap)
        step = (hi - lo) / (total + 1) if total else 0.0
        for e, i, group, k in chosen:
            slot = {"left": k, "middle": n_left + k, "right": total - 1 - k}[group]
            x = lo + step * (slot + 1)
            while len(e.lanes) <= i:
                e.lanes.append(0.0)
            e.lanes[i] = x


def _points(e: _Edge, proc: Procedure, layout: _Layout) -> list[tuple[float, float]]:
    s, t = proc.activities[e.source], proc.activities[e.target]
    (xs, ys), (xt, yt) = layout.center(e.source), layout.center(e.target)
    if e.kind == "down":
        return [(xs, ys - _half_h(s)), (xt, yt + _half_h(t))]
    if e.kind == "wrap":
        lane = e.lanes[0]
        return [
            (xs, ys - _half_h(s)),
            (xs, layout.y_below),
            (lane, layout.y_below),
            (lane, layout.y_above),
            (xt, layout.y_above),
            (xt, yt + _half_h(t)),
        ]
    forward = e.target > e.source
    dy_out, dy_in = -SIDE_OFFSET * BOX_H, SIDE_OFFSET * BOX_H
    out_side = 1 if forward else -1
    start = (_side_x(s, layout, out_side, dy_out), ys + dy_out)
    if e.kind == "side":
        lane = e.lanes[0]
        in_side = out_side if layout.col_of(e.source) == layout.col_of(e.target) else -out_side
        end = (_side_x(t, layout, in_side, dy_in), yt + dy_in)
        return [start, (lane, start[1]), (lane, end[1]), end]
    lane_a, lane_b = e.lanes[0], e.lanes[1]
    in_side = -1 if forward else 1
    end = (_side_x(t, layout, in_side, dy_in), yt + dy_in)
    return [
        start,
        (lane_a, start[1]),
        (lane_a, layout.y_top_lane),
        (lane_b, layout.y_top_lane),
        (lane_b, end[1]),
        end,
    ]


def _wrap(text: str, chars: int, max_lines: int) -> str:
    lines = textwrap.wrap(text, chars)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(chars - 1, 1)].rstrip() + "…"
    return "\n".join(lines)


def render_flowchart(proc: Procedure, run: ProcedureRun | None = None) -> Figure:
    """Draw the procedure; with a run, highlight the path it took and mark the current activity.

    >>> fig = render_flowchart(load_procedure())
    >>> fig.savefig("procedimiento.png", dpi=120)   # or .svg
    """
    ensure_run_of(proc, run, "diagrama de flujo")
    layout = _Layout(proc)
    fig = Figure(figsize=(layout.width, layout.height), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(0, layout.height)
    ax.axis("off")

    role_color = {role: ROLE_COLORS[i % len(ROLE_COLORS)] for i, role in enumerate(proc.roles)}
    visited = set(run.visited) if run else set()
    path_edges = set(zip(run.visited, run.visited[1:], strict=False)) if run else set()
    current = run.current if run else None

    title = f"{proc.title} — {proc.code} versión {proc.version} ({proc.date:%d/%m/%Y})"
    ax.text(
        layout.width / 2,
        layout.height - 0.28,
        title,
        ha="center",
        va="center",
        fontsize=12,
        weight="bold",
    )
    if run is not None:
        state = "terminada" if run.finished else f"actividad actual: {current}"
        ax.text(
            layout.width / 2,
            layout.height - 0.58,
            f"Ejecución {run.run_id} · {run.request.what} · {state}",
            ha="center",
            va="center",
            fontsize=9,
            color=CURRENT_COLOR,
        )

    edges = _classify(proc, layout)
    _assign_lanes(edges, layout)
    for e in edges:
        on_path = (e.source, e.target) in path_edges
        color, width, z = (PATH_COLOR, 2.6, 1.6) if on_path else (EDGE_COLOR, 1.1, 1.0)
        pts = _points(e, proc, layout)
        xs, ys = zip(*pts, strict=True)
        line = Line2D(xs, ys, color=color, linewidth=width, zorder=z, solid_joinstyle="miter")
        line.set_gid(f"edge-{e.source}-{e.target}")
        ax.add_line(line)
        arrow = ax.annotate(
            "",
            xy=pts[-1],
            xytext=pts[-2],
            arrowprops={
                "arrowstyle": "-|>",
                "color": color,
                "lw": width,
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 12,
            },
            zorder=z,
        )
        arrow.set_gid(f"arrow-{e.source}-{e.target}")
        if e.label:
            (x0, y0), (x1, _) = pts[0], pts[1]
            if e.kind in ("down", "wrap"):
                lx, ly, ha = x0 + 0.06, y0 - 0.1, "left"
            else:
                right = x1 > x0
                lx, ly, ha = (
                    x0 + (0.07 if right else -0.07),
                    y0 - 0.1,
                    ("left" if right else "right"),
                )
            txt = ax.text(
                lx,
                ly,
                e.label,
                fontsize=8.5,
                weight="bold",
                ha=ha,
                va="center",
                color=color,
                zorder=4,
            )
            txt.set_gid(f"edge-label-{e.source}-{e.target}")

    chars = max(int(layout.box_w * 72 / (FONT * 0.6)), 12)
    for a in proc.activities.values():
        x, y = layout.center(a.number)
        fill = role_color.get(a.role, "#eeeeee")
        edge_color, edge_width = BOX_EDGE, 1.0
        if a.number in visited:
            edge_color, edge_width = PATH_COLOR, 2.4
        if a.number == current:
            edge_color, edge_width = CURRENT_COLOR, 4.5
        w, h = layout.box_w, 2 * _half_h(a)
        if a.kind == "decision":
            shape: Polygon | FancyBboxPatch = Polygon(
                [(x - w / 2, y), (x, y + h / 2), (x + w / 2, y), (x, y - h / 2)], closed=True
            )
            text = _wrap(f"{a.number}. {a.label}", int(chars * 0.66), 3)
            size = FONT - 0.5
        else:
            shape = FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.12" if a.kind == "end" else "square,pad=0",
            )
            text = _wrap(f"{a.number}. {a.label}", chars, 4)
            size = FONT
        shape.set_facecolor(fill)
        shape.set_edgecolor(edge_color)
        shape.set_linewidth(edge_width)
        shape.set_zorder(2)
        shape.set_gid(f"activity-{a.number}")
        ax.add_patch(shape)
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=3, linespacing=1.15)
        if a.number == proc.first:
            ax.text(
                x,
                y + h / 2 + 0.06,
                "Inicio",
                ha="center",
                va="bottom",
                fontsize=7.5,
                style="italic",
            )
        if a.number == current:
            tag = ax.text(
                x - w / 2,
                y + h / 2 + 0.04,
                "▶ actual",
                ha="left",
                va="bottom",
                fontsize=8,
                weight="bold",
                color=CURRENT_COLOR,
                zorder=4,
            )
            tag.set_gid("current-marker")

    handles: list[Patch | Line2D] = [
        Patch(facecolor=role_color[r], edgecolor=BOX_EDGE, label=f"Responsable: {r}")
        for r in proc.roles
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="D",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=BOX_EDGE,
            label="Decisión (SÍ / NO)",
        )
    )
    if run is not None:
        handles.append(
            Line2D([], [], color=PATH_COLOR, linewidth=2.6, label="Recorrido de la ejecución")
        )
        handles.append(
            Patch(facecolor="white", edgecolor=CURRENT_COLOR, linewidth=3, label="Actividad actual")
        )
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=len(handles),
        fontsize=8.5,
        frameon=False,
    )
    return fig
