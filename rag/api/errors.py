"""How failures become HTTP answers, for the whole app: every client mistake gets a 4xx whose "detail" says
what is wrong, a busy model a 503 with Retry-After, and only a real bug a 500 (logged, with a generic
message: stack traces and paths are not for clients)."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.api.ratelimit import LIMITED_PATHS
from rag.api.request_guard import RequestGuard
from rag.llm.base import ModelBusy, ModelTimeout, ModelUnavailable
from rag.schemas.error_body import error_body, is_openai

log = logging.getLogger(__name__)


def _where(loc: tuple | list) -> str:
    # ("body", "history", 0, "role") → "history.0.role"; a whole-body error → "body"
    parts = (
        [str(p) for p in loc[1:]] if loc and loc[0] in ("body", "query", "path", "header") else [str(p) for p in loc]
    )
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def _answer(
    request: Request,
    status: int,
    detail: str,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> JSONResponse:
    return JSONResponse(
        status_code=status, headers=headers, content=error_body(request.url.path, status, detail, errors, code)
    )


async def validation_failed(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
    bad_json = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
    if bad_json is not None:  # normally caught by RequestGuard first; kept for apps built without it
        reason = (bad_json.get("ctx") or {}).get("error", "JSON decode error")
        return _answer(request, 400, f"malformed JSON: {reason}", errors)
    for e in errors:  # pydantic prefixes our own validators' messages with this; it adds nothing for a reader
        e["msg"] = e["msg"].removeprefix("Value error, ")
    detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors)
    return _answer(request, 422, detail or "invalid request", errors)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return _answer(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


async def model_busy(request: Request, exc: ModelBusy) -> JSONResponse:
    retry = max(1, math.ceil(exc.retry_after))
    return _answer(
        request,
        503,
        f"the chat model is busy with other questions; retry in {retry} s, "
        'or ask with mode "extractive", which does not wait for it',
        headers={"Retry-After": str(retry)},
    )


async def model_unavailable(request: Request, exc: ModelUnavailable) -> JSONResponse:
    return _answer(request, 503, f'the chat model is unavailable ({exc}); ask with mode "extractive"')


async def model_timeout(request: Request, exc: ModelTimeout) -> JSONResponse:
    return _answer(request, 504, f'{exc}; ask with mode "extractive" for an answer without the chat model')


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error in %s %s", request.method, request.url.path)
    return _answer(request, 500, "internal error; it has been logged")


ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "what is wrong, for a person to read"},
        "errors": {
            "type": "array",
            "description": "validation errors one by one (422 only)",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
OPENAI_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "code": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
        }
    },
}
_BODY_ERRORS = {
    "400": "malformed JSON or invalid UTF-8",
    "413": "body over the size limit",
    "415": "body not sent as application/json",
    "422": "a field is missing, of the wrong type or out of range",
}
_ASK_ERRORS = {
    "429": "too many questions from this client; see Retry-After",
    "503": "the chat model is busy; see Retry-After",
}


def _document(app: FastAPI) -> None:
    """Add what the guard and the handlers answer to every operation's documented responses, in the shape
    they really have ({"detail": str}), so clients and schema-driven tests can rely on the schema."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"], schemas["OpenAIError"] = ERROR, OPENAI_ERROR
        for path, ops in schema.get("paths", {}).items():
            name = "OpenAIError" if is_openai(path) else "Error"
            ref = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
            for op in ops.values():
                responses = op.setdefault("responses", {})
                extra = dict(_BODY_ERRORS) if "requestBody" in op else {}
                if op.get("parameters"):
                    extra["422"] = _BODY_ERRORS["422"]
                if extra and "404" not in responses:  # every request that names something can name what is not there
                    extra["404"] = "unknown document, measure or unit"
                if path in LIMITED_PATHS:
                    extra.update(_ASK_ERRORS)
                for code, text in extra.items():
                    responses[code] = {"description": text, "content": ref}
                for code, response in responses.items():  # 4xx documented without a body: it is an Error too
                    if code.startswith("4") and "content" not in response:
                        response["content"] = ref
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def install(app: FastAPI) -> None:
    """Register the body guard and every handler on the app, and document their answers."""
    _document(app)
    app.add_middleware(RequestGuard)
    # Starlette types a handler as taking any Exception; each of these takes the one it is registered for
    handlers: list[tuple[type[Exception], Any]] = [
        (RequestValidationError, validation_failed),
        (StarletteHTTPException, http_error),
        (ModelBusy, model_busy),
        (ModelUnavailable, model_unavailable),
        (ModelTimeout, model_timeout),
    ]
    for kind, handler in handlers:
        app.add_exception_handler(kind, handler)
    app.add_exception_handler(Exception, unexpected)
