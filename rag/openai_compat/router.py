"""GET /v1/models and POST /v1/chat/completions: the OpenAI chat API, for Open WebUI, LobeChat, Chatbox and
the `openai` client. A thin layer over ChatCompletions; validation, the rate limit (rag/api/ratelimit.py),
refusals and the answer checks are those of /api/ask."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse

from rag.openai_compat.schema import (
    MODELS,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    ModelCard,
    ModelList,
)
from rag.openai_compat.service import BadRequest, ChatCompletions, question_of
from rag.schemas.error_body import error_body
from rag.schemas.fields import MAX_ID_CHARS, require_document
from rag.services import Services

router = APIRouter(prefix="/v1", tags=["openai"])


def services(request: Request) -> Services:
    """The services of the app serving the request (rag.api.app.create_app puts them in app.state)."""
    return request.app.state.services


def _created(svc: Services) -> int:
    # a model's "created" is when its index was built: that is what changes the answers
    built = svc.index.manifest.get("built_at", "")
    try:
        return int(datetime.fromisoformat(built).timestamp())
    except ValueError:
        return 0


@router.get("/models", response_model=ModelList)
def list_models(svc: Annotated[Services, Depends(services)]) -> ModelList:
    created = _created(svc)
    return ModelList(data=[ModelCard(id=m, created=created) for m in MODELS])


@router.get("/models/{model}", response_model=ModelCard, responses={404: {"description": "no such model"}})
def get_model(
    model: Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS, description="a model id")],
    svc: Annotated[Services, Depends(services)],
) -> ModelCard:
    if model not in MODELS:
        raise HTTPException(404, f"unknown model {model!r}; GET /v1/models lists {', '.join(MODELS)}")
    return ModelCard(id=model, created=_created(svc))


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "a chat.completion, or with stream: true chat.completion.chunk events ending in [DONE]",
        }
    },
)
def chat_completions(req: ChatCompletionRequest, svc: Annotated[Services, Depends(services)]):
    try:
        question = question_of(req, svc.settings.server.max_query_chars)
    except BadRequest as exc:
        return _bad(exc)
    require_document(svc, question.doc)
    service = ChatCompletions(svc.answerer, svc.token_counter.count, with_doc=len(svc.corpus.documents) > 1)
    if not req.stream:
        return service.complete(question, req.model)
    events = service.events(question)
    first = next(events)  # fail before the 200 goes out (a busy model is a 503), not inside the stream
    with_usage = req.stream_options is not None and req.stream_options.include_usage

    def frames():
        for chunk in service.chunks(_chain(first, events), req.model, question if with_usage else None):
            yield _frame(chunk, with_usage)
        yield {"data": "[DONE]"}

    return EventSourceResponse(frames(), sep="\n", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _bad(exc: BadRequest) -> JSONResponse:
    code = "model_not_found" if exc.status == 404 else None
    return JSONResponse(
        status_code=exc.status,
        content=error_body(router.prefix + "/", exc.status, str(exc), code=code, param=exc.param),
    )


def _frame(chunk: ChatCompletionChunk, with_usage: bool = False) -> dict:
    data = chunk.model_dump(exclude_none=True)  # OpenAI leaves out what a chunk does not carry …
    for choice in data["choices"]:
        choice.setdefault("finish_reason", None)  # … except finish_reason, null until the last chunk,
    if with_usage:
        data.setdefault("usage", None)  # … and, when the usage was asked for, usage: null until the chunk after it
    return {"data": json.dumps(data, ensure_ascii=False)}


def _chain(first, rest):
    yield first
    yield from rest
