"""The admin token check that every front end with admin operations makes (the admin API, the UI's admin tab),
kept apart from all of them so that none imports another for it."""

from __future__ import annotations

import hmac


def token_matches(expected: str, given: str) -> bool:
    """Constant-time comparison; an empty expected token (admin disabled) matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
