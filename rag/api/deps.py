"""Request-scoped access to the services of the app serving the request (rag.api.app.create_app puts them
in app.state, so each app, a test's included, answers from its own)."""

from __future__ import annotations

from fastapi import Request

from rag.services import Services


def services(request: Request) -> Services:
    return request.app.state.services
