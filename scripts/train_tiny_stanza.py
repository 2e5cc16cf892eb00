"""Train tiny Arabic + English stanza models offline, for tests and benchmarks only.

They know a fixed set of names (see NAMES) and nothing else: they exercise the production
loading path (resources.json + lang/processor/package.pt, exactly what `stanza.download`
writes), batching, MWT offsets and label mapping — not accuracy.

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_tiny_stanza.py [--out tests/models/stanza]

Deterministic: fixed seeds, generated data, single thread. Takes ~1-2 minutes on 1 core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SEED = 20261
PACKAGE = "tiny"
EMBEDDING_DIM = 32
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "tests" / "models" / "stanza"

# (surface tokens, label). Arabic clitics are added by the generator, never here.
NAMES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "ar": [
        (("بايدن",), "PER"), (("جو", "بايدن"), "PER"), (("نتانياهو",), "PER"),
        (("بنيامين", "نتانياهو"), "PER"), (("ماتني",), "PER"), (("آلان", "ماتني"), "PER"),
        (("غالانت",), "PER"), (("بلينكن",), "PER"),
        (("البنتاغون",), "ORG"), (("رويترز",), "ORG"), (("الأمم", "المتحدة"), "ORG"),
        (("العراق",), "LOC"), (("سوريا",), "LOC"), (("إسرائيل",), "LOC"),
        (("واشنطن",), "LOC"), (("غزة",), "LOC"),
    ],
    "en": [
        (("Biden",), "PER"), (("Joe", "Biden"), "PER"), (("Netanyahu",), "PER"),
        (("Benjamin", "Netanyahu"), "PER"), (("Matney",), "PER"), (("Alan", "Matney"), "PER"),
        (("Gallant",), "PER"), (("Blinken",), "PER"),
        (("Pentagon",), "ORG"), (("Reuters",), "ORG"), (("United", "Nations"), "ORG"),
        (("Iraq",), "LOC"), (("Syria",), "LOC"), (("Israel",), "LOC"),
        (("Washington",), "LOC"), (("Gaza",), "LOC"),
    ],
}

# "{PER}" etc. are slots; "." and "," are split off as separate tokens without a space before.
TEMPLATES: dict[str, list[str]] = {
    "ar": [
        "قال {PER} إن {LOC} تواجه تحديات كبيرة .",
        "التقى {PER} مع {PER} في {LOC} .",
        "ذكرت وكالة {ORG} أن {PER} زار {LOC} أمس .",
        "أعلن {ORG} أن القوات ستبقى في {LOC} .",
        "وصل {PER} إلى {LOC} في زيارة رسمية .",
        "أكد {PER} , وفق {ORG} , أن الوضع في {LOC} صعب .",
        "تحدث {PER} عن الحرب في {LOC} و {LOC} .",
        "نشر موقع {ORG} تقريرا عن {LOC} .",
        "وقال المتحدث إن الاجتماع انتهى دون اتفاق .",
        "الحكومة تدرس الخطة الجديدة منذ أسابيع .",
    ],
    "en": [
        "{PER} said {LOC} faces big challenges .",
        "{PER} met {PER} in {LOC} .",
        "{ORG} reported that {PER} visited {LOC} yesterday .",
        "The {ORG} said troops will stay in {LOC} .",
        "{PER} arrived in {LOC} on an official visit .",
        "{PER} , according to {ORG} , said the situation in {LOC} is hard .",
        "{PER} spoke about the war in {LOC} and {LOC} .",
        "A report by the {ORG} described {LOC} .",
        "The spokesman said the meeting ended without a deal .",
        "The government has studied the new plan for weeks .",
    ],
}

# Arabic proclitics written attached to the next word; each is a separate syntactic word (MWT).
AR_PROCLITICS = ("و", "و", "و", "ب", "ل", "وب", "ول", "ف")
AR_PLAIN_WORDS_WITH_CLITIC = ("قال", "الحكومة", "القوات")


@dataclass(frozen=True)
class Token:
    text: str
    ner: str  # BIO tag of the whole (possibly multi-word) token
    words: tuple[str, ...]  # syntactic words: > 1 for an Arabic clitic + word
    space_after: bool


def _split_template(template: str) -> list[str]:
    return template.split()


def generate_sentence(lang: str, rng: random.Random) -> list[Token]:
    names = NAMES[lang]
    tokens: list[Token] = []
    pieces = _split_template(rng.choice(TEMPLATES[lang]))
    for index, piece in enumerate(pieces):
        followed_by_punct = index + 1 < len(pieces) and pieces[index + 1] in {".", ","}
        if piece in {"{PER}", "{ORG}", "{LOC}"}:
            label = piece[1:-1]
            surface, _ = rng.choice([n for n in names if n[1] == label])
            clitic = rng.choice(AR_PROCLITICS) if lang == "ar" and rng.random() < 0.4 else ""
            for position, word in enumerate(surface):
                tag = ("B-" if position == 0 else "I-") + label
                last = position == len(surface) - 1
                space = not (last and followed_by_punct)
                if position == 0 and clitic:
                    tokens.append(Token(clitic + word, tag, (*clitic, word), space))
                else:
                    tokens.append(Token(word, tag, (word,), space))
            continue
        space = not followed_by_punct
        if lang == "ar" and piece in AR_PLAIN_WORDS_WITH_CLITIC and rng.random() < 0.5:
            tokens.append(Token("و" + piece, "O", ("و", piece), space))
        else:
            tokens.append(Token(piece, "O", (piece,), space))
    return tokens


def generate(lang: str, count: int, seed: int) -> list[list[Token]]:
    rng = random.Random(seed)
    return [generate_sentence(lang, rng) for _ in range(count)]


def sentence_text(sentence: list[Token]) -> str:
    return "".join(t.text + (" " if t.space_after else "") for t in sentence).rstrip()


def write_conllu(sentences: list[list[Token]], path: Path) -> None:
    lines: list[str] = []
    for number, sentence in enumerate(sentences):
        lines.append(f"# sent_id = {number}")
        lines.append(f"# text = {sentence_text(sentence)}")
        word_id = 1
        for token in sentence:
            misc = "_" if token.space_after else "SpaceAfter=No"
            if len(token.words) > 1:
                last = word_id + len(token.words) - 1
                lines.append(f"{word_id}-{last}\t{token.text}\t_\t_\t_\t_\t_\t_\t_\t{misc}")
                for word in token.words:
                    lines.append(f"{word_id}\t{word}\t_\t_\t_\t_\t{max(word_id - 1, 0)}\tdep\t_\t_")
                    word_id += 1
            else:
                lines.append(f"{word_id}\t{token.text}\t_\t_\t_\t_\t{max(word_id - 1, 0)}\tdep\t_\t{misc}")
                word_id += 1
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_plaintext(sentences: list[list[Token]], path: Path) -> None:
    # Paragraphs of 4 sentences so the tokenizer also learns sentence breaks.
    paragraphs = [
        " ".join(sentence_text(s) for s in sentences[i : i + 4]) for i in range(0, len(sentences), 4)
    ]
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def write_ner_json(sentences: list[list[Token]], path: Path) -> None:
    # stanza NER tags tokens (not MWT words): a clitic-prefixed name is one tagged token.
    data = [[{"text": t.text, "ner": t.ner} for t in sentence] for sentence in sentences]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def write_word_vectors(sentences: list[list[Token]], path: Path, seed: int) -> None:
    rng = random.Random(seed)
    vocab = sorted({t.text.lower() for s in sentences for t in s})
    rows = [f"{len(vocab)} {EMBEDDING_DIM}"]
    for word in vocab:
        rows.append(word + " " + " ".join(f"{rng.uniform(-1, 1):.4f}" for _ in range(EMBEDDING_DIM)))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_stanza(module: str, args: list[str]) -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-m", module, *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"training step failed: {' '.join(command)}")


def train_language(lang: str, work: Path, out: Path) -> dict[str, object]:
    data = work / lang
    data.mkdir(parents=True)
    train = generate(lang, 400, SEED)
    dev = generate(lang, 60, SEED + 1)
    for split, sentences in (("train", train), ("dev", dev)):
        write_conllu(sentences, data / f"{split}.conllu")
        write_plaintext(sentences, data / f"{split}.txt")
        write_ner_json(sentences, data / f"{split}.ner.json")
        from stanza.utils.datasets import prepare_tokenizer_data

        prepare_tokenizer_data.main(
            [str(data / f"{split}.txt"), str(data / f"{split}.conllu"),
             "-o", str(data / f"{split}.toklabels"), "-m", str(data / f"{split}.mwt.json")]
        )
    target = {p: out / lang / p for p in ("tokenize", "mwt", "ner", "pretrain")}
    for directory in target.values():
        directory.mkdir(parents=True, exist_ok=True)

    from stanza.models.common.pretrain import Pretrain

    write_word_vectors(train, data / "vectors.txt", SEED)
    pretrain_file = target["pretrain"] / f"{PACKAGE}.pt"
    Pretrain(str(pretrain_file), str(data / "vectors.txt"), max_vocab=-1).load()

    has_mwt = lang == "ar"
    run_stanza("stanza.models.tokenizer", [
        "--mode", "train", "--lang", lang, "--shorthand", f"{lang}_{PACKAGE}",
        "--txt_file", str(data / "train.txt"), "--label_file", str(data / "train.toklabels"),
        "--dev_txt_file", str(data / "dev.txt"), "--dev_label_file", str(data / "dev.toklabels"),
        "--dev_conll_gold", str(data / "dev.conllu"), "--conll_file", str(data / "dev.pred.conllu"),
        "--hidden_dim", "16", "--emb_dim", "16", "--steps", "1500", "--eval_steps", "250",
        "--seed", str(SEED), "--save_dir", str(target["tokenize"]), "--save_name", f"{PACKAGE}.pt",
        "--mwt_json_file", str(data / "dev.mwt.json"),
    ])
    if has_mwt:
        run_stanza("stanza.models.mwt_expander", [
            "--mode", "train", "--lang", lang, "--shorthand", f"{lang}_{PACKAGE}",
            "--train_file", str(data / "train.conllu"), "--eval_file", str(data / "dev.conllu"),
            "--gold_file", str(data / "dev.conllu"), "--output_file", str(data / "dev.mwt.pred.conllu"),
            "--hidden_dim", "32", "--emb_dim", "16", "--num_epoch", "15", "--seed", str(SEED),
            "--save_dir", str(target["mwt"]), "--save_name", f"{PACKAGE}.pt",
        ])
    else:
        target["mwt"].rmdir()
    run_stanza("stanza.models.ner_tagger", [
        "--mode", "train", "--cpu", "--shorthand", f"{lang}_{PACKAGE}",
        "--train_file", str(data / "train.ner.json"), "--eval_file", str(data / "dev.ner.json"),
        "--wordvec_pretrain_file", str(pretrain_file),
        "--hidden_dim", "32", "--char_hidden_dim", "16", "--char_emb_dim", "16",
        "--word_emb_dim", str(EMBEDDING_DIM), "--max_steps", "900", "--eval_interval", "150",
        "--seed", str(SEED), "--save_dir", str(target["ner"]), "--save_name", f"{PACKAGE}.pt",
    ])
    return resources_entry(lang, has_mwt)


def resources_entry(lang: str, has_mwt: bool) -> dict[str, object]:
    """The same shape stanza.download writes, so the production loader reads it unchanged."""
    processors = {"tokenize": PACKAGE, **({"mwt": PACKAGE} if has_mwt else {}), "ner": PACKAGE}
    entry: dict[str, object] = {
        "lang_name": {"ar": "Arabic", "en": "English"}[lang],
        "default_processors": processors,
        "packages": {"default": processors},
        "tokenize": {PACKAGE: {}},
        "ner": {PACKAGE: {"dependencies": [{"model": "pretrain", "package": PACKAGE}]}},
        "pretrain": {PACKAGE: {}},
    }
    if has_mwt:
        entry["mwt"] = {PACKAGE: {}}
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--langs", nargs="+", default=["ar", "en"])
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    resources: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="tiny-stanza-") as work:
        for lang in args.langs:
            resources[lang] = train_language(lang, Path(work), args.out)
    (args.out / "resources.json").write_text(json.dumps(resources, indent=2, ensure_ascii=False) + "\n")
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(json.dumps({"out": str(args.out), "bytes": total}))


if __name__ == "__main__":
    main()
