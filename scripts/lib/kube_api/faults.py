"""Fault injection for tests, scoped by namespace so one test's rules never touch another's.

Rules (POST /_emulator/faults):
  {"namespace": NS, "method": M, "path": REGEX, "count": N, "status": S, "retryAfterSeconds": R}
      answer the next N matching requests with status S and a Status body (429 carries Retry-After)
  {"namespace": NS, "dropWatchAfterEvents": N}   end the next watch in NS abruptly after N events
  {"namespace": NS, "coalesceExecs": N}           the next N execs in NS answer their upgrade only when
                                                  the command has ended, in one write with all its frames
  {"compactHistory": true}                        forget the watch history (older resourceVersions get 410)
  {"missingImage": NAME}                          pulling image NAME fails
  {"outageSeconds": S}                            the server is unreachable for S seconds
"""
from __future__ import annotations

import re
import threading

from .status import ApiError, REASONS

MESSAGES = {
    409: "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected fault)",
    410: "too old resource version (injected fault)",
    429: "Too many requests, please try again later (injected fault)",
    500: "Internal error occurred (injected fault)",
    503: "The server is currently unable to handle the request (injected fault)",
}


class Faults:
    """The pending and served fault rules."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[dict] = []
        self._drops: list[dict] = []
        self._coalesced: dict[str, int] = {}
        self.missing_images: set[str] = set()

    def add(self, rule: dict) -> list[str]:
        """Registers a rule; returns the immediate actions the server must perform
        ("compact", "outage"). Raises ApiError 400 for a malformed rule."""
        if not isinstance(rule, dict):
            raise ApiError(400, "a fault rule must be a JSON object", "BadRequest")
        actions = []
        if rule.get("compactHistory"):
            actions.append("compact")
        if "outageSeconds" in rule:
            if not isinstance(rule["outageSeconds"], (int, float)) or rule["outageSeconds"] <= 0:
                raise ApiError(400, "outageSeconds must be a positive number", "BadRequest")
            actions.append("outage")
        if rule.get("missingImage"):
            with self._lock:
                self.missing_images.add(str(rule["missingImage"]))
            actions.append("image")
        if "dropWatchAfterEvents" in rule:
            if not rule.get("namespace") or not isinstance(rule["dropWatchAfterEvents"], int):
                raise ApiError(400, "dropWatchAfterEvents needs a namespace and an integer", "BadRequest")
            with self._lock:
                self._drops.append({"namespace": rule["namespace"], "events": rule["dropWatchAfterEvents"],
                                    "served": False})
            actions.append("drop")
        if "coalesceExecs" in rule:
            if not rule.get("namespace") or not isinstance(rule["coalesceExecs"], int) or rule["coalesceExecs"] < 1:
                raise ApiError(400, "coalesceExecs needs a namespace and a positive integer", "BadRequest")
            with self._lock:
                self._coalesced[rule["namespace"]] = self._coalesced.get(rule["namespace"], 0) + rule["coalesceExecs"]
            actions.append("coalesce")
        if "status" in rule:
            status = rule["status"]
            if status not in MESSAGES or not rule.get("namespace") or not rule.get("path"):
                raise ApiError(400, "a status rule needs namespace, path (a regex) and status 409|410|429|500|503",
                               "BadRequest")
            try:
                pattern = re.compile(rule["path"])
            except re.error as e:
                raise ApiError(400, f"path is not a valid regular expression: {e}", "BadRequest") from None
            with self._lock:
                self._rules.append({"namespace": rule["namespace"], "method": (rule.get("method") or "").upper(),
                                    "path": rule["path"], "re": pattern, "count": int(rule.get("count", 1)),
                                    "served": 0, "status": status,
                                    "retryAfterSeconds": rule.get("retryAfterSeconds")})
            actions.append("status")
        if not actions:
            raise ApiError(400, "unknown fault rule: expected status, dropWatchAfterEvents, coalesceExecs, "
                                "compactHistory, missingImage or outageSeconds", "BadRequest")
        return actions

    def check(self, namespace: str | None, method: str, path: str, query: str = "") -> None:
        """Raises the injected ApiError when a pending rule matches this request (its
        regex found in the path, or in the path with the query string)."""
        if namespace is None:
            return
        with self._lock:
            for rule in self._rules:
                matches = rule["re"].search(path) or (query and rule["re"].search(f"{path}?{query}"))
                if (rule["namespace"] == namespace and rule["served"] < rule["count"]
                        and (not rule["method"] or rule["method"] == method) and matches):
                    rule["served"] += 1
                    status = rule["status"]
                    retry = rule["retryAfterSeconds"]
                    if status == 429 and retry is None:
                        retry = 1
                    raise ApiError(status, MESSAGES[status], "Expired" if status == 410 else REASONS[status],
                                   retry_after=retry)

    def take_drop(self, namespace: str | None) -> int | None:
        """The event count after which the next watch in `namespace` must be dropped, if any."""
        with self._lock:
            for d in self._drops:
                if d["namespace"] == namespace and not d["served"]:
                    d["served"] = True
                    return d["events"]
        return None

    def take_coalesced(self, namespace: str | None) -> bool:
        """Whether the next exec in `namespace` must be answered in one write."""
        with self._lock:
            if self._coalesced.get(namespace, 0) > 0:
                self._coalesced[namespace] -= 1
                return True
        return False

    def report(self, namespace: str | None) -> dict:
        """The rules of a namespace: how many requests each served and how many are pending."""
        with self._lock:
            rules = [{"method": r["method"], "path": r["path"], "status": r["status"], "served": r["served"],
                      "pending": r["count"] - r["served"]} for r in self._rules
                     if namespace is None or r["namespace"] == namespace]
            drops = [{"dropWatchAfterEvents": d["events"], "served": d["served"]} for d in self._drops
                     if namespace is None or d["namespace"] == namespace]
            coalesced = sum(count for ns, count in self._coalesced.items() if namespace is None or ns == namespace)
            return {"rules": rules, "watchDrops": drops, "pendingCoalescedExecs": coalesced,
                    "missingImages": sorted(self.missing_images)}
