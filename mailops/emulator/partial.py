"""``fields`` partial responses: ``fields=users(primaryEmail,name/givenName),nextPageToken``."""

from __future__ import annotations

from typing import Any

from mailops.emulator.errors import invalid

__all__ = ["FieldTree", "apply_fields", "parse_fields"]

FieldTree = dict[str, "FieldTree | None"]


def parse_fields(spec: str) -> FieldTree:
    """The selection tree of ``spec``; 400 ``Invalid field selection`` when malformed."""
    tree, pos = _parse_list(spec.replace(" ", ""), 0)
    if pos != len(spec.replace(" ", "")) or not tree:
        raise invalid(f"Invalid field selection {spec}")
    return tree


def _parse_list(s: str, pos: int) -> tuple[FieldTree, int]:
    tree: FieldTree = {}
    while pos < len(s):
        start = pos
        while pos < len(s) and s[pos] not in ",()":
            pos += 1
        path = s[start:pos]
        if not path or any(not part for part in path.split("/")):
            raise invalid(f"Invalid field selection {s}")
        sub: FieldTree | None = None
        if pos < len(s) and s[pos] == "(":
            sub, pos = _parse_list(s, pos + 1)
            if pos >= len(s) or s[pos] != ")":
                raise invalid(f"Invalid field selection {s}")
            pos += 1
        _insert(tree, path.split("/"), sub)
        if pos < len(s) and s[pos] == ",":
            pos += 1
            continue
        break
    return tree, pos


def _insert(tree: FieldTree, parts: list[str], sub: FieldTree | None) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        existing = tree.get(head)
        if head in tree and (existing is None or sub is None):
            tree[head] = None
        elif isinstance(existing, dict) and sub is not None:
            existing.update(sub)
        else:
            tree[head] = sub
        return
    child = tree.get(head)
    if head in tree and child is None:
        return
    if not isinstance(child, dict):
        child = {}
        tree[head] = child
    _insert(child, rest, sub)


def apply_fields(body: Any, tree: FieldTree | None) -> Any:
    """``body`` reduced to the selected fields (lists are filtered item by item)."""
    if tree is None:
        return body
    if isinstance(body, list):
        return [apply_fields(item, tree) for item in body]
    if isinstance(body, dict):
        return {k: apply_fields(body[k], sub) for k, sub in tree.items() if k in body}
    return body
