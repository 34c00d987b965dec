"""A small OpenAI-compatible chat server on loopback, for testing the remote back-end over real HTTP."""
from __future__ import annotations

import json
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeOpenAIServer:
    def __init__(self, reply: str, api_key: str = "sk-test", delay: float = 0.0):
        self.reply, self.api_key, self.delay = reply, api_key, delay
        self.requests: list[dict] = []
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return JSONResponse({"error": "bad key"}, status_code=401)
            body = await request.json()
            self.requests.append(body)

            def events():
                for i in range(0, len(self.reply), 4):
                    if self.delay:
                        time.sleep(self.delay)
                    chunk = {"choices": [{"index": 0, "delta": {"content": self.reply[i:i + 4]}}]}
                    yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
                if (body.get("stream_options") or {}).get("include_usage"):  # as OpenAI: a last chunk, no choices
                    usage = {"prompt_tokens": 42, "completion_tokens": len(self.reply), "total_tokens": 42 + len(self.reply)}
                    yield f"data: {json.dumps({'choices': [], 'usage': usage})}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=5)
