"""Milvus: the vector store for a city-wide corpus, through pymilvus's MilvusClient (install extra `milvus`).

One code path for both deployments:
- `uri` empty: Milvus Lite (the `milvus-lite` package), an embedded server started in this process on a
  `milvus.db` directory inside the index build. It speaks the same client API as a cluster; it is for one
  process (development, tests, a single API worker).
- `uri` = `http://host:19530` (a Milvus standalone or cluster behind its proxy), `token` = `user:password`
  or an API key. Every build writes its own collection, named after the build directory, so the API
  workers keep serving the old build until `index/CURRENT` moves; `drop_other_builds` removes old ones.

Scores are inner products of normalised vectors (metric IP), as with FAISS, so results are comparable.
The store keeps no copy of the vectors: `vectors.npy` in the build does (the retriever and rebuilds use it).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

META_FILE = "milvus.json"
LITE_DIR = "milvus.db"  # pymilvus treats a URI ending in .db as Milvus Lite
_BATCH = 5000  # rows per insert call: 5000 × 384 floats ≈ 8 MB, well under gRPC's 64 MB message limit
_DEFAULT_INDEX: dict[str, Any] = {"index_type": "HNSW", "params": {"M": 16, "efConstruction": 200}}
_DEFAULT_SEARCH: dict[str, dict[str, Any]] = {
    "HNSW": {"ef": 128},
    "IVF_FLAT": {"nprobe": 32},
    "IVF_SQ8": {"nprobe": 32},
    "HNSW_SQ": {"ef": 128},
    "FLAT": {},
    "AUTOINDEX": {},
}


def _collection_name(build_dir: Path | None, prefix: str) -> str:
    """A valid Milvus collection name (letters, digits, underscores; a letter first) for one build."""
    suffix = re.sub(r"[^0-9A-Za-z_]", "_", build_dir.name) if build_dir is not None else "default"
    return f"{prefix}_{suffix}"[:255]


class MilvusStore:
    def __init__(
        self,
        dim: int,
        uri: str = "",
        token: str = "",
        *,
        index_type: str | None = None,
        index_params: dict | None = None,
        search_params: dict | None = None,
        collection_prefix: str = "rag",
    ):
        self.dim = dim
        self._remote_uri, self._token = uri, token
        self._index_type = (index_type or _DEFAULT_INDEX["index_type"]).upper()
        self._index_params = dict(
            index_params
            if index_params is not None
            else (_DEFAULT_INDEX["params"] if self._index_type == "HNSW" else {})
        )
        self._search_params = dict(
            search_params if search_params is not None else _DEFAULT_SEARCH.get(self._index_type, {})
        )
        self._prefix = collection_prefix
        # Bounded: a search may miss writes of the last seconds, which a build flushed long before serving;
        # Strong makes every search wait for a timestamp round trip (about 380 ms on a standalone server)
        self._consistency = "Bounded"
        self.kind = f"milvus-{self._index_type.lower()}"
        self.keys: list[str] = []
        self._build: Path | None = None
        self._client = None
        self._uri = uri
        self.collection = _collection_name(None, collection_prefix)

    # --- connection -------------------------------------------------------------------------------

    @property
    def lite(self) -> bool:
        return not self._remote_uri

    def bind(self, build_dir: Path) -> None:
        """Attach the store to one index build: its Milvus Lite directory, or its collection on a cluster."""
        self.close()
        self._build = Path(build_dir)
        self._uri = str(self._build.resolve() / LITE_DIR) if self.lite else self._remote_uri
        self.collection = _collection_name(self._build, self._prefix)

    @property
    def client(self):
        if self._client is None:
            try:
                from pymilvus import MilvusClient
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise RuntimeError(
                    "the milvus vector store needs `pip install -e '.[milvus]'` (pymilvus, milvus-lite)"
                ) from exc
            if not self._uri:
                raise RuntimeError("MilvusStore.bind(build_dir) must come first when no milvus_uri is set")
            kwargs = {"token": self._token} if self._token else {}
            self._client = MilvusClient(uri=self._uri, **kwargs)
        return self._client

    def close(self) -> None:
        """Let go of the connection; for Milvus Lite also stop its in-process server (so the build can be deleted)."""
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # pragma: no cover
                pass
            self._client = None
            if self.lite and self._uri:
                try:
                    from milvus_lite.server_manager import server_manager_instance

                    server_manager_instance.release_server(self._uri)
                except Exception:  # pragma: no cover - older milvus-lite without the manager
                    pass

    # --- VectorStore ------------------------------------------------------------------------------

    def _create(self) -> None:
        from pymilvus import DataType, MilvusClient

        c = self.client
        if c.has_collection(self.collection):
            c.drop_collection(self.collection)
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("key", DataType.VARCHAR, max_length=1024)
        schema.add_field("doc", DataType.VARCHAR, max_length=512)
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=self.dim)
        index = c.prepare_index_params()
        index.add_index(field_name="vec", index_type=self._index_type, metric_type="IP", params=self._index_params)
        c.create_collection(self.collection, schema=schema, index_params=index)

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(keys), self.dim)
        if not self.keys:
            self._create()
        start = len(self.keys)
        for lo in range(0, len(keys), _BATCH):
            rows = [
                {"pk": start + i, "key": k, "doc": k.partition(":")[0] if ":" in k else "", "vec": v}
                for i, (k, v) in enumerate(
                    zip(keys[lo : lo + _BATCH], vectors[lo : lo + _BATCH], strict=True), start=lo
                )
            ]
            self.client.insert(self.collection, rows)
        self.keys.extend(keys)

    def search(self, query: np.ndarray, k: int, doc: str | None = None) -> list[tuple[str, float]]:
        """The k nearest keys by inner product; `doc` limits the search to one document's measures."""
        if not self.keys or k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(self.dim)
        kwargs = {}
        if doc is not None:
            # a quoted literal (json escaping is valid Milvus string syntax); Milvus Lite has no filter templates
            kwargs["filter"] = f"doc == {json.dumps(doc, ensure_ascii=False)}"
        limit = min(k, len(self.keys))
        res = self.client.search(
            self.collection,
            data=[q.tolist()],
            limit=limit,
            output_fields=["key"],
            search_params={"metric_type": "IP", "params": self._params_for(limit)},
            consistency_level=self._consistency,
            **kwargs,
        )
        return [(h["entity"]["key"], float(h["distance"])) for h in res[0]]

    def _params_for(self, limit: int) -> dict:
        params = dict(self._search_params)
        if "ef" in params:  # HNSW finds at most ef results: look as wide as asked
            params["ef"] = max(int(params["ef"]), limit)
        return params

    def search_batch(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores and positions (pk, the order of `add`) for many queries at once, like FaissStore.search_batch."""
        queries = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self.dim)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        positions = np.full((len(queries), k), -1, dtype=np.int64)
        for lo in range(0, len(queries), 100):
            res = self.client.search(
                self.collection,
                data=[q.tolist() for q in queries[lo : lo + 100]],
                limit=k,
                search_params={"metric_type": "IP", "params": self._search_params},
            )
            for row, hits in enumerate(res, start=lo):
                for j, h in enumerate(hits):
                    scores[row, j], positions[row, j] = h["distance"], h.get("id", h.get("pk"))
        return scores, positions

    def __len__(self) -> int:
        return len(self.keys)

    def _meta(self) -> dict:
        return {
            "kind": self.kind,
            "collection": self.collection,
            "count": len(self.keys),
            "dim": self.dim,
            "lite": self.lite,
            "index_type": self._index_type,
            "index_params": self._index_params,
        }

    def save(self, directory: Path) -> list[str]:
        """Flush the collection and write `milvus.json` (what load checks). The Lite database directory is
        not listed for checksums: Milvus compacts its segments in the background, so its bytes change."""
        if self._build is None:
            self.bind(directory)
        if not self.keys:
            self._create()
        self.client.flush(self.collection)
        (Path(directory) / META_FILE).write_text(
            json.dumps({**self._meta(), "keys": self.keys}, ensure_ascii=False), encoding="utf-8"
        )
        return [META_FILE]

    def load(self, directory: Path, keys: list[str] | None = None) -> None:
        directory = Path(directory)
        if self._build is None or self._build.resolve() != directory.resolve():
            self.bind(directory)
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        if meta.get("dim") != self.dim or meta.get("index_type") != self._index_type:
            raise ValueError(
                f"milvus build holds {meta.get('index_type')} × {meta.get('dim')}, "
                f"settings want {self._index_type} × {self.dim}"
            )
        self.collection = meta["collection"]
        c = self.client
        if not c.has_collection(self.collection):
            raise ValueError(f"milvus collection {self.collection!r} is missing at {self._uri}")
        c.load_collection(self.collection)
        rows = int(c.get_collection_stats(self.collection).get("row_count", -1))
        if rows != meta["count"] or len(meta["keys"]) != meta["count"]:
            raise ValueError(
                f"milvus collection {self.collection!r} holds {rows} rows, the build recorded {meta['count']}"
            )
        self.keys = keys if keys is not None and keys == meta["keys"] else list(meta["keys"])

    def drop_other_builds(self) -> list[str]:
        """On a cluster: drop this store's collections of other builds (run it once no worker serves them)."""
        dropped = []
        for name in self.client.list_collections():
            if name.startswith(f"{self._prefix}_build_") and name != self.collection:
                self.client.drop_collection(name)
                dropped.append(name)
        return dropped
