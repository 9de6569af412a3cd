#!/usr/bin/env python3
"""Train the small test tokenizers on fixtures/seeds and record what the Python
`tokenizers` library makes of each seed (the reference the Rust side must equal).

usage: python3 scripts/train_tokenizers.py   (needs `pip install tokenizers`)

Writes fixtures/tokenizers/{wordpiece,bpe}-seeds.json (tokenizer.json files) and
fixtures/tokenizers/{wordpiece,bpe}-seeds.expected.jsonl: per seed, the ids and
code-point offsets of encode(text, add_special_tokens=False).
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SEEDS = os.path.join(ROOT, "fixtures", "seeds")
OUT = os.path.join(ROOT, "fixtures", "tokenizers")


def seed_texts():
    for name in sorted(os.listdir(SEEDS)):
        if name.endswith(".txt"):
            with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
                yield name[:-4], f.read()


def wordpiece():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=1500, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.train_from_iterator((t for _, t in seed_texts()), trainer)
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    tok.decoder = decoders.WordPiece()
    return tok


def bpe():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=1200, special_tokens=["<s>", "</s>", "<pad>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator((t for _, t in seed_texts()), trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")),
                                                      trim_offsets=True, add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return tok


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, tok in (("wordpiece", wordpiece()), ("bpe", bpe())):
        tok.save(os.path.join(OUT, f"{name}-seeds.json"))
        with open(os.path.join(OUT, f"{name}-seeds.expected.jsonl"), "w", encoding="utf-8") as w:
            for doc_id, text in seed_texts():
                enc = tok.encode(text, add_special_tokens=False)
                w.write(json.dumps({"id": doc_id, "ids": enc.ids, "offsets": [list(o) for o in enc.offsets]}) + "\n")


if __name__ == "__main__":
    main()
