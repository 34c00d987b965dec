"""Request-scoped access to the shared services (overridden in tests)."""

from __future__ import annotations

from rag.services import Services, get_services


def services() -> Services:
    return get_services()
