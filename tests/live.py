"""A real app served by uvicorn in a thread on 127.0.0.1 and a free port, for clients that need a socket
(the `openai` and MCP clients, the evaluation harness)."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def live_server(app, lifespan: str = "off"):
    """Yields the base URL. lifespan="on" for apps whose lifespan runs something (the MCP session manager)."""
    import uvicorn

    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
