"""A Milvus standalone server on this machine, from the PyPI package `milvus`, for the integration test and
the scale benchmark (a deployment runs its own Milvus and sets RAG_VECTOR_STORE__MILVUS_URI).

What it needs here: the interim index off (freshly inserted rows are otherwise searched approximately for
seconds), components advertised on loopback, and a stop that cannot hang (SIGTERM sometimes does; then
SIGKILL). Start-up takes 6–9 s; the port moves on from 19530 when that is taken.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COMPONENTS = ("rootCoord", "proxy", "queryCoord", "queryNode", "indexCoord", "indexNode", "dataCoord", "dataNode")


@contextmanager
def local_server(base_dir: Path) -> Iterator[str]:
    """Yields the server's URI; the server is gone when the block ends, whatever happened inside."""
    from milvus import MilvusServer

    server = MilvusServer()
    server.set_base_dir(str(base_dir))
    server.config.set("queryNode.segcore.interimIndex.enableIndex", False)
    for component in COMPONENTS:  # the package has no setting for the listen address, only this one
        server.config.set(f"{component}.ip", "127.0.0.1")
    try:
        server.start()
        yield f"http://127.0.0.1:{server.listen_port}"
    finally:
        proc = server.server_proc
        try:
            server.stop()  # terminate, wait 1 s, kill
        finally:
            if proc is not None and proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
