"""Where the learned data came from (rag/data/manifest.json): written by `rag calibrate`, checked at load."""

from rag.provenance.manifest import (
    MANIFEST,
    advise_on_settings,
    fits,
    learned_settings,
    problems,
    read_manifest,
    write_manifest,
)
from rag.provenance.record import record_after_the_fact, record_fit

__all__ = [
    "MANIFEST",
    "advise_on_settings",
    "fits",
    "learned_settings",
    "problems",
    "read_manifest",
    "write_manifest",
    "record_after_the_fact",
    "record_fit",
]
