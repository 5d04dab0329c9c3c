"""JSON merge patch (RFC 7386; also used for strategic merge patch) and JSON patch (RFC 6902)."""
from __future__ import annotations

import copy

from .status import ApiError


def merge_patch(target, patch):
    """Applies an RFC 7386 merge patch and returns the result (inputs are not modified)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):  # strategic merge patch directives: ignored
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise ApiError(422, f"invalid JSON pointer {path!r}", "Invalid")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc, tokens: list[str], op: str):
    cur = doc
    for t in tokens[:-1]:
        if isinstance(cur, list):
            try:
                cur = cur[int(t)]
            except (ValueError, IndexError):
                raise ApiError(422, f"{op}: path element {t!r} not found", "Invalid") from None
        elif isinstance(cur, dict) and t in cur:
            cur = cur[t]
        else:
            raise ApiError(422, f"{op} operation does not apply: doc is missing path: /{'/'.join(tokens)}", "Invalid")
    return cur


def _get(doc, path: str, op: str):
    cur = doc
    for t in _pointer(path):
        try:
            cur = cur[int(t)] if isinstance(cur, list) else cur[t]
        except (KeyError, ValueError, IndexError, TypeError):
            raise ApiError(422, f"{op} operation does not apply: doc is missing path: {path}", "Invalid") from None
    return cur


def _remove(doc, path: str, op: str):
    tokens = _pointer(path)
    parent = _parent(doc, tokens, op)
    last = tokens[-1]
    try:
        if isinstance(parent, list):
            return parent.pop(int(last))
        return parent.pop(last)
    except (KeyError, ValueError, IndexError, TypeError):
        raise ApiError(422, f"{op} operation does not apply: doc is missing path: {path}", "Invalid") from None


def _add(doc, path: str, value, op: str):
    tokens = _pointer(path)
    if not tokens:
        return value
    parent = _parent(doc, tokens, op)
    last = tokens[-1]
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            try:
                idx = int(last)
            except ValueError:
                raise ApiError(422, f"{op}: invalid array index {last!r}", "Invalid") from None
            if idx > len(parent) or idx < 0:
                raise ApiError(422, f"{op}: array index {idx} out of range", "Invalid")
            parent.insert(idx, value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise ApiError(422, f"{op} operation does not apply: doc is missing path: {path}", "Invalid")
    return doc


def json_patch(target, ops):
    """Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test)."""
    if not isinstance(ops, list):
        raise ApiError(400, "a JSON patch must be a JSON array of operations", "BadRequest")
    doc = copy.deepcopy(target)
    for op in ops:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise ApiError(400, f"invalid JSON patch operation: {op!r}", "BadRequest")
        kind, path = op["op"], op["path"]
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(op.get("value")), kind)
        elif kind == "remove":
            _remove(doc, path, kind)
        elif kind == "replace":
            _get(doc, path, kind)
            if _pointer(path):
                _remove(doc, path, kind)
            doc = _add(doc, path, copy.deepcopy(op.get("value")), kind)
        elif kind in ("move", "copy"):
            value = copy.deepcopy(_get(doc, op.get("from", ""), kind))
            if kind == "move":
                _remove(doc, op.get("from", ""), kind)
            doc = _add(doc, path, value, kind)
        elif kind == "test":
            if _get(doc, path, kind) != op.get("value"):
                raise ApiError(422, f"testing value {path} failed", "Invalid")
        else:
            raise ApiError(400, f"unknown JSON patch operation {kind!r}", "BadRequest")
    return doc
