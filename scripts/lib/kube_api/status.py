"""Kubernetes `Status` bodies and the exception that carries them to the client."""
from __future__ import annotations

REASONS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Gone",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
}


class ApiError(Exception):
    """An API failure answered with a `kind: Status` body and the HTTP code `code`."""

    def __init__(self, code: int, message: str, reason: str | None = None, *,
                 name: str | None = None, group: str | None = None, kind: str | None = None,
                 causes: list[dict] | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason or REASONS.get(code, "Unknown")
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes or []
        self.retry_after = retry_after

    def body(self) -> dict:
        """The Status object for this error."""
        return status_body(self.code, self.message, self.reason, name=self.name, group=self.group,
                           kind=self.kind, causes=self.causes, retry_after=self.retry_after)


def status_body(code: int, message: str, reason: str, *, name=None, group=None, kind=None,
                causes=None, retry_after=None) -> dict:
    """A failure Status as the API server writes it."""
    details: dict = {}
    if name is not None:
        details["name"] = name
    if group:
        details["group"] = group
    if kind is not None:
        details["kind"] = kind
    if causes:
        details["causes"] = causes
    if retry_after is not None:
        details["retryAfterSeconds"] = retry_after
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def not_found(resource, name: str) -> ApiError:
    """404 for `resource` (a resources.Resource) named `name`."""
    return ApiError(404, f'{resource.plural}{"." + resource.group if resource.group else ""} "{name}" not found',
                    "NotFound", name=name, group=resource.group, kind=resource.plural)


def already_exists(resource, name: str) -> ApiError:
    """409 AlreadyExists for `resource` named `name`."""
    return ApiError(409, f'{resource.plural}{"." + resource.group if resource.group else ""} "{name}" already exists',
                    "AlreadyExists", name=name, group=resource.group, kind=resource.plural)


def conflict(resource, name: str, why: str) -> ApiError:
    """409 Conflict (optimistic concurrency) for `resource` named `name`."""
    return ApiError(409, f'Operation cannot be fulfilled on {resource.plural}'
                    f'{"." + resource.group if resource.group else ""} "{name}": {why}',
                    "Conflict", name=name, group=resource.group, kind=resource.plural)


def invalid(resource, name: str, causes: list[dict]) -> ApiError:
    """422 Invalid naming each offending field in `causes`."""
    summary = "; ".join(f'{c["field"]}: {c["message"]}' for c in causes)
    return ApiError(422, f'{resource.kind}{"." + resource.group if resource.group else ""} "{name}" is invalid: {summary}',
                    "Invalid", name=name, group=resource.group, kind=resource.kind, causes=causes)
