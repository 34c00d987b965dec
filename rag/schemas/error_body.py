"""The body of an error answer. Under /v1/ (the OpenAI-compatible routes) it has OpenAI's shape,
{"error": {"message", "type", "param", "code"}}, because the clients there (the `openai` library, Open WebUI)
read the message from it; everywhere else it is {"detail": …}. The guard, the rate limit, the key check and
the exception handlers all build it here, so one request path always gets one shape."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

OPENAI_PREFIX = "/v1/"

# OpenAI's error types by status, so that the `openai` client raises the matching exception class
_OPENAI_TYPES = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error"}


def is_openai(path: str) -> bool:
    return path.startswith(OPENAI_PREFIX)


def error_body(
    path: str,
    status: int,
    detail: str,
    errors: list[dict] | None = None,
    code: str | None = None,
    param: str | None = None,
) -> dict:
    if is_openai(path):
        kind = _OPENAI_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        if param is None and errors and errors[0].get("loc"):
            param = ".".join(str(p) for p in errors[0]["loc"][1:])
        return {"error": {"message": detail, "type": kind, "param": param, "code": code}}
    body: dict = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def error_bytes(path: str, status: int, detail: str) -> bytes:
    """The body for ASGI middleware that answers before any route runs."""
    return json.dumps(error_body(path, status, detail), ensure_ascii=False).encode("utf-8")


async def send_error(
    send: Callable[[dict], Awaitable[None]],
    path: str,
    status: int,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Answer from ASGI middleware (body guard, rate limit, key check): the error body, with any extra headers."""
    payload = error_bytes(path, status, detail)
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": payload})
