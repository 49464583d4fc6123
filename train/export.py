"""A checkpoint as a Hugging Face Llama folder that transformers loads offline.

``python -m train.export --checkpoint DIR --tokenizer HF_TOKENIZER --output HF_DIR``

``HF_DIR`` gets ``config.json`` (``LlamaForCausalLM``), ``model.safetensors`` (sharded with an
index above ``--max-shard-size``), ``generation_config.json`` and the tokenizer files of
``--tokenizer``, the folder ``python -m tokenization.export`` writes (train/ may not import the
tokenization stage, so the tokenizer is exported by that command and copied in here). Then
``AutoModelForCausalLM.from_pretrained(HF_DIR)`` and ``AutoTokenizer.from_pretrained(HF_DIR)``
load it with no network.

The mapping is transformers' ``convert_llama_weights_to_hf.py`` for Meta's names, which ours
follow: ``tok_embeddings`` -> ``model.embed_tokens``, ``wq/wk/wv/wo`` ->
``self_attn.{q,k,v,o}_proj``, ``w1/w3/w2`` -> ``mlp.{gate,up,down}_proj``, ``attention_norm`` ->
``input_layernorm``, ``ffn_norm`` -> ``post_attention_layernorm``, ``norm`` -> ``model.norm``,
``output`` -> ``lm_head``. Meta's checkpoints rotate interleaved pairs and that script permutes
``wq``/``wk`` per head; ours rotate halves as HF does (`train.model.apply_rotary`), so no
permutation. The output projection is untied (``tie_word_embeddings: false``); RMSNorm's eps and
RoPE's theta come from the model's config. After writing, the command loads the folder with
transformers and compares logits with ours in fp32 on packed, document-masked rows, each document
fed to HF alone (`compare_logits`), and fails above ``--tolerance``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from common import storage
from common.cli import command
from common.errors import InputError, UserError
from train.evaluate import load_model
from train.model import Llama, LlamaConfig

log = logging.getLogger(__name__)

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
LAYER_NAMES = {
    "attention.wq": "self_attn.q_proj",
    "attention.wk": "self_attn.k_proj",
    "attention.wv": "self_attn.v_proj",
    "attention.wo": "self_attn.o_proj",
    "feed_forward.w1": "mlp.gate_proj",
    "feed_forward.w3": "mlp.up_proj",
    "feed_forward.w2": "mlp.down_proj",
    "attention_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
}
TOP_NAMES = {"tok_embeddings": "model.embed_tokens", "norm": "model.norm", "output": "lm_head"}


class ExportMismatch(UserError):
    """The exported model's logits differ from ours beyond the tolerance."""


def hf_name(ours: str) -> str:
    """Our parameter name -> transformers' LlamaForCausalLM name."""
    stem, _, leaf = ours.rpartition(".")
    if stem.startswith("layers."):
        _, i, rest = stem.split(".", 2)
        return f"model.layers.{i}.{LAYER_NAMES[rest]}.{leaf}"
    return f"{TOP_NAMES[stem]}.{leaf}"


def our_name(hf: str) -> str:
    inverse = {v: k for k, v in LAYER_NAMES.items()}
    top = {v: k for k, v in TOP_NAMES.items()}
    stem, _, leaf = hf.rpartition(".")
    if stem.startswith("model.layers."):
        _, _, i, rest = stem.split(".", 3)
        return f"layers.{i}.{inverse[rest]}.{leaf}"
    return f"{top[stem]}.{leaf}"


def hf_config(cfg: LlamaConfig, special_ids: dict[str, int | None] | None = None) -> dict[str, object]:
    ids = special_ids or {}
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.dim,
        "intermediate_size": cfg.ffn_dim,
        "num_hidden_layers": cfg.n_layers,
        "num_attention_heads": cfg.n_heads,
        "num_key_value_heads": cfg.n_kv_heads,
        "head_dim": cfg.head_dim,
        "hidden_act": "silu",
        "max_position_embeddings": cfg.max_seq_len,
        "rms_norm_eps": cfg.norm_eps,
        "rope_theta": cfg.rope_theta,
        "rope_scaling": None,
        "attention_bias": False,
        "attention_dropout": 0.0,
        "mlp_bias": False,
        "tie_word_embeddings": False,
        "initializer_range": cfg.init_std,
        "torch_dtype": "float32",
        **{k: v for k, v in ids.items() if v is not None},
    }


def llama_config_from_hf(config: dict) -> LlamaConfig:
    """Our config of an exported folder (the inverse of `hf_config`)."""
    return LlamaConfig(
        vocab_size=config["vocab_size"],
        max_seq_len=config["max_position_embeddings"],
        dim=config["hidden_size"],
        n_layers=config["num_hidden_layers"],
        n_heads=config["num_attention_heads"],
        n_kv_heads=config["num_key_value_heads"],
        ffn_dim=config["intermediate_size"],
        norm_eps=config["rms_norm_eps"],
        rope_theta=config["rope_theta"],
    )


def _special_ids(tokenizer_dir: Path) -> dict[str, int | None]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(tokenizer_dir), local_files_only=True)
    return {
        "bos_token_id": tok.bos_token_id,
        "eos_token_id": tok.eos_token_id,
        "pad_token_id": tok.pad_token_id,
    }


def export_model(
    model: Llama,
    output: str | Path,
    tokenizer_dir: str | Path | None,
    max_shard_size: str = "5GB",
    dtype: torch.dtype = torch.float32,
) -> Path:
    """Write the Hugging Face folder (replaced whole, atomically); returns ``output``."""
    from transformers import LlamaConfig as HFLlamaConfig
    from transformers import LlamaForCausalLM

    ids: dict[str, int | None] = {}
    if tokenizer_dir is not None:
        tokenizer_dir = Path(tokenizer_dir)
        missing = [n for n in TOKENIZER_FILES if not (tokenizer_dir / n).is_file()]
        if missing:
            raise InputError(
                f"{tokenizer_dir}: no {', '.join(missing)}; export the tokenizer first "
                f"(python -m tokenization.export --tokenizer TOK --output {tokenizer_dir})"
            )
        ids = _special_ids(tokenizer_dir)
    config = HFLlamaConfig(**hf_config(model.cfg, ids))
    state = {hf_name(k): v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    with torch.device("meta"):
        hf = LlamaForCausalLM(config)
    hf.load_state_dict(state, strict=True, assign=True)
    output = Path(output)
    with storage.staged_dir(output) as staged:
        hf.save_pretrained(str(staged), safe_serialization=True, max_shard_size=max_shard_size)
        if tokenizer_dir is not None:
            for name in TOKENIZER_FILES:
                shutil.copy2(tokenizer_dir / name, staged / name)
        for path in staged.iterdir():  # safetensors writes 0600; the folder is for others to load
            path.chmod(0o644)
    log.info("exported %s parameters to %s", f"{model.num_params(exclude_embeddings=False):,}", output)
    return output


def load_export(folder: str | Path) -> Llama:
    """Our model from an exported folder (the consolidated form `train.evaluate` also reads)."""
    from safetensors.torch import load_file

    folder = Path(folder)
    config_path = folder / "config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{config_path}: not found; not an exported model folder") from None
    if config.get("tie_word_embeddings"):
        raise InputError(f"{config_path}: tied embeddings; headwater models have an untied output")
    index = folder / "model.safetensors.index.json"
    files = (
        sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
        if index.is_file()
        else ["model.safetensors"]
    )
    state: dict[str, torch.Tensor] = {}
    for name in files:
        state.update({our_name(k): v.float() for k, v in load_file(str(folder / name)).items()})
    model = Llama(llama_config_from_hf(config))
    model.load_state_dict(state, strict=True)
    return model.eval()


@dataclass(frozen=True)
class LogitsCheck:
    max_abs_diff: float
    documents: int
    rows: int


def packed_batch(vocab: int, rows: int, width: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Random tokens in rows packed with documents of random lengths (and padding at the end of
    the last row), as Stage 2 packs them."""
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, vocab, (rows, width), generator=g)
    segments = torch.empty(rows, width, dtype=torch.long)
    for r in range(rows):
        pos, doc = 0, 0
        while pos < width:
            n = int(torch.randint(1, max(2, width // 2), (1,), generator=g))
            segments[r, pos : pos + n] = doc
            pos, doc = pos + n, doc + 1
    segments[-1, -max(1, width // 5) :] = -1
    return tokens, segments


@torch.no_grad()
def compare_logits(
    ours: Llama, hf_folder: str | Path, tokens: torch.Tensor, segments: torch.Tensor
) -> LogitsCheck:
    """Max |our logits - HF logits| in fp32 on CPU: ours on the packed rows (document-masked),
    HF on each document alone from position 0."""
    from transformers import AutoModelForCausalLM

    hf = AutoModelForCausalLM.from_pretrained(
        str(hf_folder), local_files_only=True, dtype=torch.float32, attn_implementation="eager"
    ).eval()
    ours = ours.float().eval()
    logits, _ = ours(tokens, segments)
    worst, docs = 0.0, 0
    for r in range(tokens.shape[0]):
        for doc in segments[r].unique().tolist():
            if doc < 0:
                continue
            where = (segments[r] == doc).nonzero().flatten()
            theirs = hf(tokens[r, where][None]).logits[0]
            worst = max(worst, float((logits[r, where] - theirs).abs().max()))
            docs += 1
    return LogitsCheck(worst, docs, tokens.shape[0])


@command()
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m train.export", description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True, help="a run's checkpoints folder, one step-N folder in it")
    p.add_argument("--output", required=True, help="the Hugging Face folder to write (replaced)")
    p.add_argument(
        "--tokenizer", default=None, help="the folder python -m tokenization.export wrote (copied in)"
    )
    p.add_argument("--max-shard-size", default="5GB", help="safetensors shard size (default: %(default)s)")
    p.add_argument("--dtype", choices=("float32", "bfloat16"), default="float32")
    p.add_argument("--tolerance", type=float, default=1e-4, help="max logits difference (fp32 check)")
    p.add_argument("--no-check", action="store_true", help="skip loading the export back with transformers")
    args = p.parse_args(argv)
    if args.tokenizer is None:
        log.warning("no --tokenizer: the folder will hold the model only (AutoTokenizer will not load it)")
    model = load_model(args.checkpoint)
    out = export_model(model, args.output, args.tokenizer, args.max_shard_size, getattr(torch, args.dtype))
    print(f"exported {args.checkpoint} -> {out}")
    if not args.no_check:
        width = min(model.cfg.max_seq_len, 128)
        check = compare_logits(model, out, *packed_batch(model.cfg.vocab_size, 4, width))
        print(
            f"logits max |ours - transformers| = {check.max_abs_diff:.3g} over {check.documents} documents "
            f"in {check.rows} packed rows (fp32, CPU{', weights stored in bf16' if args.dtype != 'float32' else ''})"
        )
        if args.dtype == "float32" and check.max_abs_diff > args.tolerance:
            raise ExportMismatch(f"{out}: logits differ by {check.max_abs_diff:.3g} > {args.tolerance:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
