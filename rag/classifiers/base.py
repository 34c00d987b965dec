"""What a stored classifier offers the code that applies it; two implementations, chosen by the file's `kind`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Classifier(Protocol):
    kind: str
    features: list[str]
    threshold: float  # probability at or above which the answer is yes
    info: dict  # how it was fitted and what cross-validation measured

    def probability(self, x: Sequence[float] | np.ndarray) -> float: ...

    def probabilities(self, rows: np.ndarray) -> np.ndarray: ...

    def decide(self, x: Sequence[float] | np.ndarray) -> tuple[bool, float]: ...

    def save(self, path: Path) -> None: ...
