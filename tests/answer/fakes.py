"""Fake chat models for tests: each replays a script, some of them lies."""
from __future__ import annotations

import time


class ScriptedChat:
    name = "fake/scripted"

    def __init__(self, text: str, delay: float = 0.0, fail: Exception | None = None):
        self.text, self.delay, self.fail = text, delay, fail
        self.calls: list[list[dict]] = []

    def stream(self, messages, *, max_tokens, temperature, timeout_s):
        self.calls.append(messages)
        if self.fail:
            raise self.fail
        for i in range(0, len(self.text), 3):
            if self.delay:
                time.sleep(self.delay)
            yield self.text[i:i + 3]
