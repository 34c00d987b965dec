"""Checks on the raw body of every API request before any route sees it: size, arrival time, media type,
UTF-8 and JSON syntax. Each failure gets its own status and a message that says what to fix, where the
framework would say "There was an error parsing the body" or mistake a form post for a missing field.

A pure ASGI middleware rather than a route dependency: it must run before FastAPI reads the body, and it
must bound how long a slow client can hold a worker (a body trickled byte by byte never ends otherwise).
"""

from __future__ import annotations

import asyncio
import email.message
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.schemas.error_body import send_error
from rag.schemas.fields import MAX_BODY_BYTES

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BodyRejected(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _is_json(content_type: str) -> bool:
    msg = email.message.Message()
    msg["content-type"] = content_type
    return msg.get_content_maintype() == "application" and (
        msg.get_content_subtype() == "json" or msg.get_content_subtype().endswith("+json")
    )


def check_body(body: bytes, content_type: str | None) -> None:
    """Raise BodyRejected unless the body is empty or well-formed UTF-8 JSON sent as JSON."""
    if not body:
        return
    if not content_type or not _is_json(content_type):
        raise BodyRejected(
            415, f"send the body as JSON with Content-Type: application/json (got {content_type or 'no content type'})"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyRejected(
            400, f"the request body is not valid UTF-8 (byte {exc.start}: {body[exc.start : exc.start + 1]!r})"
        ) from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyRejected(400, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise BodyRejected(400, "malformed JSON: nested too deeply") from None


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        prefixes: tuple[str, ...] = ("/api/", "/v1/"),
        max_bytes: int = MAX_BODY_BYTES,
        body_timeout_s: float = 15.0,
    ):
        self.app, self.prefixes, self.max_bytes, self.body_timeout_s = app, prefixes, max_bytes, body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in BODY_METHODS
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            body = await self._read(headers, receive)
            check_body(body, headers.get("content-type"))
        except BodyRejected as exc:
            await _reject(send, scope["path"], exc.status, exc.detail)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: disconnect notices, for streaming responses

        await self.app(scope, replay, send)

    async def _read(self, headers: dict[str, str], receive: Receive) -> bytes:
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                raise BodyRejected(400, f"Content-Length {declared!r} is not a number")
            if int(declared) > self.max_bytes:
                raise BodyRejected(413, f"the request body is {int(declared)} bytes; the limit is {self.max_bytes}")
        chunks, size = [], 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout_s
        while True:
            try:
                message = await asyncio.wait_for(receive(), timeout=max(deadline - loop.time(), 0.001))
            except TimeoutError:
                raise BodyRejected(408, f"the request body did not arrive within {self.body_timeout_s:.0f} s") from None
            if message["type"] == "http.disconnect":
                raise BodyRejected(400, "the client disconnected before sending the whole body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyRejected(413, f"the request body is over the limit of {self.max_bytes} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _reject(send: Send, path: str, status: int, detail: str) -> None:
    # on 408 and 413 the rest of the body may still be on the wire: do not read it as a next request
    close = [(b"connection", b"close")] if status in (408, 413) else []
    await send_error(send, path, status, detail, close)
