"""Request fields every front end validates the same way (the HTTP routes, the OpenAI-compatible routes, the MCP
tools), with their limits stated in the OpenAPI schema.

Limits are fixed here rather than read from settings because the schema is built once per app and a
client should be able to trust it; `ServerSettings.max_query_chars` can only lower the text limit
(checked by `check_text_limit` at request time).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import HTTPException
from pydantic import AfterValidator, BeforeValidator, Field

MAX_TEXT_CHARS = 2000  # a question or search query
MAX_ID_CHARS = 100  # a measure id, a unit name, a document id
MAX_TOP_K = 50
MAX_BODY_BYTES = 64 * 1024  # a whole request body (413 above it), whatever its fields' own limits allow


# What does not count as writing: white space, control characters, zero-width and direction marks, BOM.
INVISIBLE = r"\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
VISIBLE = re.compile(f"[^{INVISIBLE}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop control characters (NUL, escape codes) that nothing downstream should see; reject text with
    nothing visible. Tabs and newlines stay: people paste questions from documents."""
    if not VISIBLE.search(text):
        raise ValueError("is empty: write a question or some keywords")
    return _CONTROL.sub("", text)


Text = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description=f"free text in any language, {MAX_TEXT_CHARS} characters at most, "
        "with at least one visible character",
        json_schema_extra={"pattern": VISIBLE.pattern},
    ),
    AfterValidator(clean_text),
]


def _no_bool_or_text(v):
    # lax int would read true as 1 and "5" as 5; a JSON number (5, or 5.0 which JSON Schema calls an integer) is fine
    if isinstance(v, (bool, str)):
        raise ValueError("Input should be a valid integer")
    return v


TopK = Annotated[
    int,
    Field(ge=1, le=MAX_TOP_K, description=f"number of measures to return, 1 to {MAX_TOP_K}"),
    BeforeValidator(_no_bool_or_text),
]
DocId = Annotated[
    str, Field(min_length=1, max_length=MAX_ID_CHARS, description="a document id from GET /api/documents")
]


def check_text_limit(text: str, limit: int, name: str = "query") -> None:
    """Enforce a configured limit lower than the schema's (422 like the schema's own check)."""
    if len(text) > limit:
        raise HTTPException(422, f"{name}: String should have at most {limit} characters")


def require_document(svc, doc: str | None) -> None:
    """404 for a document id the corpus does not hold; ids are looked up, never used as paths."""
    if doc is not None and svc.corpus.document(doc) is None:
        raise HTTPException(
            404, f"unknown document {doc!r}; GET /api/documents lists them: {[d.id for d in svc.corpus.documents]}"
        )
