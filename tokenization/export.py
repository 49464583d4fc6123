"""Our tokenizer as a Hugging Face tokenizer folder that encodes exactly as the token shards do.

``python -m tokenization.export --tokenizer TOK --output DIR [--check CLEAN_OUT]``

``DIR`` gets ``tokenizer.json`` (a `tokenizers` BPE model: SentencePiece's pieces as the
vocabulary, merges in SentencePiece's priority order, byte fallback), ``tokenizer_config.json``
and ``special_tokens_map.json``; ``transformers.AutoTokenizer.from_pretrained(DIR)`` loads it
offline as a ``LlamaTokenizerFast`` whose ``input_ids`` for a document are the ids
`tokenization.encode` writes for it, BOS and EOS included as the training record says. The
command then loads the folder through transformers and compares the two encoders on texts
built to hit every known trap, and with ``--check`` on every document of a Stage 1 output
(`tokenization.parity`); any difference fails the command, naming the document and the first
differing position.

The traps, and what the export does about each:

- The dummy prefix: SentencePiece puts ``▁`` before the text even when it starts with spaces.
  A ``Metaspace`` pre-tokenizer would skip it there, so the normaliser prepends ``▁`` and
  replaces spaces, as Llama 2's tokenizer.json does; ``add_prefix_space`` is left unset
  (transformers would rebuild the tokenizer from the slow SentencePiece one).
- Special-token strings in text: SentencePiece never produces a control piece from text, so
  ``</s>`` typed by a user is ``<``, ``/``, ``s``, ``>``. Merges that would build a control,
  byte or unknown piece are left out, the specials are not in tokenizer.json's added tokens
  (``tokenizers`` would match them in text) and tokenizer_config.json sets
  ``split_special_tokens`` for the ones transformers adds itself.
- BOS/EOS: a ``TemplateProcessing`` post-processor and ``add_bos_token``/``add_eos_token`` from
  the training record (transformers' Llama tokenizer rebuilds the template from these).
- Unseen characters go to byte pieces (``byte_fallback``), consecutive unknowns fuse into one
  ``<unk>`` when the model has no byte pieces, as in SentencePiece.

Only BPE models with identity normalisation export: a unigram model's Viterbi ties and an NFKC
model's precompiled character map do not carry over exactly, and the command says so.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import sentencepiece as spm
from tokenizers import Tokenizer, decoders, normalizers, processors
from tokenizers.models import BPE

from common import storage
from common.cli import command
from common.errors import UserError
from tokenization.model_files import Framing, TokenizerFiles, load_processor, read_tokenizer

log = logging.getLogger(__name__)

HF_TOKENIZER_FILE = "tokenizer.json"
HF_CONFIG_FILE = "tokenizer_config.json"
HF_SPECIAL_TOKENS_FILE = "special_tokens_map.json"
HF_FILES = (HF_TOKENIZER_FILE, HF_CONFIG_FILE, HF_SPECIAL_TOKENS_FILE)
MARK = "\u2581"


class ExportError(UserError):
    """The tokenizer cannot be exported with identical ids; the message says why."""


def _is_special(sp: spm.SentencePieceProcessor, i: int) -> bool:
    return sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i) or sp.is_unused(i)


def bpe_merges(sp: spm.SentencePieceProcessor) -> list[tuple[str, str]]:
    """Every split of a piece into two pieces, ranked as SentencePiece merges: by the merged
    piece's id (its BPE priority), then the shorter left part first (transformers'
    ``generate_merges`` order). Pieces text can never produce (control, byte, unknown, unused)
    are neither built nor used by a merge."""
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size()) if not _is_special(sp, i)}
    ranked = []
    for piece, i in vocab.items():
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab:
                ranked.append((i, k, left, right))
    ranked.sort()
    return [(left, right) for _, _, left, right in ranked]


def check_exportable(files: TokenizerFiles, sp: spm.SentencePieceProcessor) -> bool:
    """Refuse models whose ids a `tokenizers` BPE cannot reproduce; returns whether the model
    adds a dummy prefix."""
    where = files.model_path
    if files.config is not None and files.config.model_type != "bpe":
        raise ExportError(
            f"{where}: model_type {files.config.model_type!r}: only BPE models export with identical ids "
            "(a unigram model's ties come out differently in Hugging Face's Viterbi)"
        )
    # BPE scores are minus the merge rank (whole numbers); unigram scores are log probabilities
    if any(sp.get_score(i) != int(sp.get_score(i)) for i in range(sp.get_piece_size())):
        raise ExportError(f"{where}: not a BPE model (piece scores are not merge ranks)")
    probe = "a  b\tﬁ①Ａ\u00c5"
    with_prefix = sp.normalize(probe) == MARK + probe.replace(" ", MARK)
    if not with_prefix and sp.normalize(probe) != probe.replace(" ", MARK):
        raise ExportError(
            f"{where}: the model normalises text (NFKC or whitespace removal); only identity "
            "normalisation exports with identical ids (normalization: identity, "
            "remove_extra_whitespaces: false in configs/tokenizer.yaml)"
        )
    return with_prefix


def build_tokenizer(sp: spm.SentencePieceProcessor, framing: Framing, dummy_prefix: bool) -> Tokenizer:
    """The `tokenizers` object of tokenizer.json."""
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    byte_fallback = any(sp.is_byte(i) for i in range(sp.get_piece_size()))
    unk = sp.id_to_piece(sp.unk_id()) if sp.unk_id() >= 0 else None
    tok = Tokenizer(BPE(vocab, bpe_merges(sp), unk_token=unk, fuse_unk=True, byte_fallback=byte_fallback))
    spaces = normalizers.Replace(" ", MARK)
    tok.normalizer = normalizers.Sequence([normalizers.Prepend(MARK), spaces] if dummy_prefix else [spaces])
    decode = [decoders.Replace(MARK, " "), decoders.ByteFallback(), decoders.Fuse()]
    tok.decoder = decoders.Sequence([*decode, decoders.Strip(" ", 1, 0)] if dummy_prefix else decode)
    tok.post_processor = _template(sp, framing)
    return tok


def _template(sp: spm.SentencePieceProcessor, framing: Framing) -> processors.TemplateProcessing:
    """``<s>:0 $A:0 </s>:0`` as the framing says (the template transformers' Llama tokenizer
    builds from add_bos_token/add_eos_token)."""
    specials = [(sp.id_to_piece(i), i) for i in (framing.bos_id, framing.eos_id) if i is not None]
    bos = f"{sp.id_to_piece(framing.bos_id)}:0 " if framing.bos_id is not None else ""
    eos = f" {sp.id_to_piece(framing.eos_id)}:0" if framing.eos_id is not None else ""
    bos1 = f" {sp.id_to_piece(framing.bos_id)}:1" if framing.bos_id is not None else ""
    eos1 = f" {sp.id_to_piece(framing.eos_id)}:1" if framing.eos_id is not None else ""
    return processors.TemplateProcessing(
        single=f"{bos}$A:0{eos}", pair=f"{bos}$A:0{eos}{bos1} $B:1{eos1}", special_tokens=specials
    )


def _special_tokens(sp: spm.SentencePieceProcessor) -> dict[str, tuple[str, int]]:
    """transformers' names for the model's special pieces: name -> (piece, id)."""
    ids = {
        "bos_token": sp.bos_id(),
        "eos_token": sp.eos_id(),
        "unk_token": sp.unk_id(),
        "pad_token": sp.pad_id(),
    }
    return {name: (sp.id_to_piece(i), i) for name, i in ids.items() if i >= 0}


def _added_token(piece: str) -> dict[str, object]:
    return {"content": piece, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False}


def tokenizer_config(sp: spm.SentencePieceProcessor, framing: Framing) -> dict[str, object]:
    specials = _special_tokens(sp)
    config: dict[str, object] = {
        "tokenizer_class": "LlamaTokenizerFast",
        "add_bos_token": framing.bos_id is not None,
        "add_eos_token": framing.eos_id is not None,
        # a user's "</s>" is text, as in SentencePiece, not the end-of-document id
        "split_special_tokens": True,
        "legacy": False,
        "clean_up_tokenization_spaces": False,
        "added_tokens_decoder": {
            str(i): {**_added_token(piece), "special": True}
            for piece, i in sorted(specials.values(), key=lambda p: p[1])
        },
    }
    for name, (piece, _) in specials.items():
        config[name] = piece
    return config


def special_tokens_map(sp: spm.SentencePieceProcessor) -> dict[str, object]:
    return {name: _added_token(piece) for name, (piece, _) in _special_tokens(sp).items()}


def export_tokenizer(tokenizer: str | Path, output: str | Path) -> Path:
    """Write the Hugging Face folder for the tokenizer at ``tokenizer`` (folder or model file)
    to ``output`` (replaced whole, atomically); returns ``output``."""
    files = read_tokenizer(tokenizer)
    sp = load_processor(files.model)
    dummy_prefix = check_exportable(files, sp)
    tok = build_tokenizer(sp, files.framing, dummy_prefix)
    output = Path(output)
    with storage.staged_dir(output) as staged:
        tok.save(str(staged / HF_TOKENIZER_FILE), pretty=True)
        for name, data in (
            (HF_CONFIG_FILE, tokenizer_config(sp, files.framing)),
            (HF_SPECIAL_TOKENS_FILE, special_tokens_map(sp)),
        ):
            (staged / name).write_text(
                json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    log.info("exported %s (%d pieces) to %s", files.model_path, sp.get_piece_size(), output)
    return output


@command()
def main(argv: list[str] | None = None) -> int:
    from tokenization.parity import check_corpus, check_texts, load_hf_tokenizer, trap_texts, vocabulary_words

    parser = argparse.ArgumentParser(prog="python -m tokenization.export", description=__doc__.split("\n")[0])
    parser.add_argument("--tokenizer", required=True, help="tokenizer folder (TOK) or its tokenizer.model")
    parser.add_argument("--output", required=True, help="folder for the Hugging Face tokenizer files")
    parser.add_argument(
        "--check",
        default=None,
        metavar="CLEAN_OUT",
        help="also compare ids on every document of this Stage 1 output",
    )
    args = parser.parse_args(argv)
    out = export_tokenizer(args.tokenizer, args.output)
    files = read_tokenizer(args.tokenizer)
    hf = load_hf_tokenizer(out)
    reports = [check_texts(files, hf, trap_texts(vocabulary_words(files)), "trap and generated texts")]
    if args.check:
        reports.append(check_corpus(files, hf, args.check))
    failed = False
    for report in reports:
        print(report.summary())
        failed |= not report.identical
    print(f"exported {files.model_path} -> {out} ({', '.join(HF_FILES)})")
    if failed:
        raise ExportError(f"{out}: the exported tokenizer does not reproduce our ids (see above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
