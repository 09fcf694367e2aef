"""Every path a run may legally take from the first to the last activity, loops bounded."""

from __future__ import annotations

from collections import Counter

from mailops.procedure import Procedure


def legal_paths(proc: Procedure, max_loops: int = 1) -> list[tuple[int, ...]]:
    """All paths from ``proc.first`` to ``proc.last`` taking each loop edge at most ``max_loops`` times."""
    found: list[tuple[int, ...]] = []
    loops = proc.loop_edges

    def walk(path: list[int], taken: Counter[tuple[int, int]]) -> None:
        here = path[-1]
        if here == proc.last:
            found.append(tuple(path))
            return
        for target in proc.successors(here):
            edge = (here, target)
            if edge in loops and taken[edge] >= max_loops:
                continue
            taken[edge] += edge in loops
            path.append(target)
            walk(path, taken)
            path.pop()
            taken[edge] -= edge in loops

    walk([proc.first], Counter())
    return found
