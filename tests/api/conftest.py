"""A private index directory for the API tests that write builds (apps with other settings: tests/conftest.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def index_copy(services, tmp_path) -> Path:
    """A private copy of the session's index directory, for tests that write builds."""
    target = tmp_path / "index"
    shutil.copytree(services.settings.index_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target
