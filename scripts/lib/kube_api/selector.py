"""Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors."""
from __future__ import annotations

import re

from .status import ApiError

_SET_RE = re.compile(r"^\s*(!?)\s*([A-Za-z0-9./_-]+)\s*(?:(in|notin)\s*\(([^)]*)\)|(==|=|!=)\s*([A-Za-z0-9._-]*))?\s*$")


def _split(expr: str) -> list[str]:
    """Splits a selector at the commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def parse_labels(expr: str | None) -> list[tuple[str, str, set[str]]]:
    """Parses a labelSelector into (key, operator, values); raises ApiError 400 when malformed."""
    reqs = []
    for part in _split(expr or ""):
        m = _SET_RE.match(part)
        if not m:
            raise ApiError(400, f"unable to parse requirement: invalid label selector: {part.strip()!r}", "BadRequest")
        neg, key, set_op, set_vals, op, val = m.groups()
        if set_op:
            if neg:
                raise ApiError(400, f"unable to parse requirement: {part.strip()!r}", "BadRequest")
            reqs.append((key, set_op, {v.strip() for v in set_vals.split(",") if v.strip()}))
        elif op:
            if neg:
                raise ApiError(400, f"unable to parse requirement: {part.strip()!r}", "BadRequest")
            reqs.append((key, "!=" if op == "!=" else "=", {val}))
        else:
            reqs.append((key, "!exists" if neg else "exists", set()))
    return reqs


def labels_match(reqs, labels: dict | None) -> bool:
    """Whether `labels` satisfy every parsed requirement."""
    labels = labels or {}
    for key, op, vals in reqs:
        present = key in labels
        value = labels.get(key)
        if op == "=" and (not present or value not in vals):
            return False
        if op == "!=" and present and value in vals:
            return False
        if op == "in" and (not present or value not in vals):
            return False
        if op == "notin" and present and value in vals:
            return False
        if op == "exists" and not present:
            return False
        if op == "!exists" and present:
            return False
    return True


def match_label_selector(selector: dict | None, labels: dict | None) -> bool:
    """Whether `labels` match a LabelSelector object (matchLabels, matchExpressions)."""
    if not selector:
        return False
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, vals = e.get("key"), e.get("operator"), set(e.get("values") or [])
        if op == "In" and labels.get(key) not in vals:
            return False
        if op == "NotIn" and key in labels and labels[key] in vals:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


FIELDS = {
    "metadata.name": lambda o: o["metadata"].get("name", ""),
    "metadata.namespace": lambda o: o["metadata"].get("namespace", ""),
    "involvedObject.name": lambda o: (o.get("involvedObject") or {}).get("name", ""),
    "involvedObject.kind": lambda o: (o.get("involvedObject") or {}).get("kind", ""),
    "involvedObject.uid": lambda o: (o.get("involvedObject") or {}).get("uid", ""),
    "involvedObject.namespace": lambda o: (o.get("involvedObject") or {}).get("namespace", ""),
    "reason": lambda o: o.get("reason", ""),
    "type": lambda o: o.get("type", ""),
    "spec.nodeName": lambda o: (o.get("spec") or {}).get("nodeName", ""),
    "status.phase": lambda o: (o.get("status") or {}).get("phase", ""),
}


def parse_fields(expr: str | None) -> list[tuple[str, bool, str]]:
    """Parses a fieldSelector into (field, equal, value); unknown fields are a 400 as in Kubernetes."""
    reqs = []
    for part in (expr or "").split(","):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$", part)
        if not m:
            raise ApiError(400, f"invalid field selector: {part!r}", "BadRequest")
        field, op, value = m.groups()
        if field not in FIELDS:
            raise ApiError(400, f'field label not supported: {field}', "BadRequest")
        reqs.append((field, op != "!=", value))
    return reqs


def fields_match(reqs, obj: dict) -> bool:
    """Whether `obj` satisfies every parsed field requirement."""
    for field, equal, value in reqs:
        if (FIELDS[field](obj) == value) != equal:
            return False
    return True
