"""Per-client rate limiting of the answer endpoints: a token bucket per client address, in memory.

Only asking is limited: an answer can hold the chat model for tens of seconds, while a search costs
milliseconds. The bucket holds `rate_per_minute` tokens and refills at that rate, so a client may ask a
burst of that many at once and then one every 60/rate seconds. Behind a reverse proxy every client has the
proxy's address: limit there, or set the rate to 0 here (disabled).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from rag.schemas.error_body import send_error

LIMITED_PATHS = ("/api/ask", "/api/ask/stream", "/v1/chat/completions")


class TokenBuckets:
    """Thread-safe buckets keyed by client; full buckets are dropped so memory stays bounded."""

    def __init__(self, rate_per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = float(rate_per_minute)
        self.per_second = rate_per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the client may go ahead (one token taken); else the seconds until a token is there."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > self.max_clients:
                    self._prune(now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.per_second

    def _prune(self, now: float) -> None:
        full = [
            c for c, (tokens, at) in self._buckets.items() if tokens + (now - at) * self.per_second >= self.capacity
        ]
        for c in full:
            del self._buckets[c]


class AskRateLimit:
    """ASGI middleware: 429 with Retry-After once a client has used up its bucket on the limited paths."""

    def __init__(
        self,
        app: ASGIApp,
        rate_per_minute: int,
        paths: tuple[str, ...] = LIMITED_PATHS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.app, self.paths = app, paths
        self.buckets = TokenBuckets(rate_per_minute, clock) if rate_per_minute > 0 else None
        self.rate = rate_per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.buckets is None
            or scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].rstrip("/") not in self.paths
        ):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.buckets.take(client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        detail = f"too many questions from {client}: at most {self.rate} a minute; retry in {retry} s"
        await send_error(send, scope["path"], 429, detail, [(b"retry-after", str(retry).encode())])
