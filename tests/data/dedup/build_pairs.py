"""Builds pairs.jsonl (the labelled dedup set) from the hand-written stories. Deterministic.

    .venv/bin/python tests/data/dedup/build_pairs.py

Copies imitate what syndication does to a story: truncation to the opening paragraphs, a
reworded headline, a dateline, leftover site boilerplate, a changed word, another spelling
of the same Arabic, reordered paragraphs; one-sentence copies with a dateline or an edited
word (short copies, where a sample is thinnest). Negatives are different events on the same
topic (same actors, same vocabulary), last year's edition of a recurring story, the same
one-sentence shapes of those (a shared template opening, a different year: the hardest
negatives), and independent rewrites of the same event (not copies: kept as originals).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RECURRING_TOPICS = {"ar-tawjihi", "ar-hilal", "ar-hajj", "en-jobs", "en-iphone", "en-nobel"}

BOILERPLATE = {
    "ar": ["المصدر: وكالات", "المصدر: سكاي نيوز عربية", "تابعونا على تطبيق تلغرام لآخر الأخبار",
           "شارك هذا الخبر", "جميع الحقوق محفوظة © 2024", "للمزيد من الأخبار تابعوا صفحتنا على فيسبوك"],
    "en": ["Source: Reuters", "Follow us on X and Facebook for the latest updates.", "Share this article",
           "© 2024 All rights reserved.", "Sign up for our daily newsletter",
           "Reporting by staff; editing by the desk"],
}
READ_ALSO = {"ar": "اقرأ أيضا: ", "en": "Read more: "}
DATELINES = {
    "ar": ["عمان - بترا -", "بغداد (رويترز) -", "القاهرة - أ ش أ:", "دبي - العربية.نت", "بيروت - ا ف ب"],
    "en": ["LONDON (Reuters) -", "WASHINGTON (AP) —", "PARIS, (AFP) -", "NEW YORK —", "DUBAI (Reuters) -"],
}
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    stories = json.loads((HERE / "stories_ar.json").read_text()) + json.loads((HERE / "stories_en.json").read_text())
    return stories, json.loads((HERE / "paraphrases.json").read_text())


def join(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def change_word(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Replace one word of one paragraph by another word of the story (a light edit)."""
    edited = list(paragraphs)
    index = rng.randrange(len(edited))
    words = edited[index].split(" ")
    position = rng.randrange(1, len(words) - 1)
    pool = [w for p in paragraphs for w in p.split(" ") if len(w) > 3 and w != words[position]]
    words[position] = rng.choice(pool)
    edited[index] = " ".join(words)
    return edited


def respell(text: str, lang: str, rng: random.Random) -> str:
    """Another spelling of the same text: what normalisation must undo."""
    if lang == "en":
        text = text.replace(" '", " ‘").replace("'", "’").replace("U.S.", "US").replace(" - ", " — ")
        return text.replace(",", " ,").replace("  ", " ")
    out = []
    for char in text:
        if char in "أإ" and rng.random() < 0.6:
            char = "ا"
        elif char == "ي" and rng.random() < 0.3:
            char = "ى"
        out.append(char)
        if "\u0621" <= char <= "\u064a" and rng.random() < 0.15:
            out.append(rng.choice(HARAKAT))
        elif char in "سصمن" and rng.random() < 0.1:
            out.append("ــ")
    return "".join(out).translate(ARABIC_DIGITS).replace("ة ", "ه ")


def leftovers(lang: str, other_title: str, rng: random.Random, count: int) -> list[str]:
    lines = rng.sample(BOILERPLATE[lang], count - 1)
    return [*lines, READ_ALSO[lang] + other_title]


def copies(story: dict[str, Any], other_title: str, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, a, b) copy pairs of one story; a is the text seen first."""
    lang, paras, full = story["lang"], story["paragraphs"], join(story["paragraphs"])
    dateline = rng.choice(DATELINES[lang])
    combined = join([story["alt_title"], f"{dateline} {change_word(paras[:2], rng)[0]}",
                     *change_word(paras[:2], rng)[1:], *leftovers(lang, other_title, rng, 3)])
    return [
        ("truncated_1", full, paras[0]),
        ("truncated_2", full, join(paras[:2])),
        ("headline", full, join([story["alt_title"], *paras])),
        ("boilerplate", full, join([*paras[:3], *leftovers(lang, other_title, rng, 3)])),
        ("dateline_edit", full, join([f"{dateline} {paras[0]}", *change_word(paras[1:3], rng)])),
        ("orthography", full, respell(full, lang, rng)),
        ("reordered", full, join([paras[0], paras[2], paras[1], *paras[3:]])),
        ("combined", full, respell(combined, lang, rng) if rng.random() < 0.5 else combined),
        ("copy_first", combined, full),
        ("sentence_dateline", full, f"{dateline} {paras[0]}"),
        ("sentence_edit", full, change_word([paras[0]], rng)[0]),
    ]


def topic_negatives(x: dict[str, Any], y: dict[str, Any], rng: random.Random) -> list[tuple[str, str, bool]]:
    """Different events of one topic, in both orders and in their syndicated shapes (a, b, a is x)."""
    lang, xp, yp = x["lang"], x["paragraphs"], y["paragraphs"]
    return [
        (join(xp), join(yp), True),
        (join(yp), join(xp), False),
        (join(xp), join([*yp[:2], *leftovers(lang, x["title"], rng, 2)]), True),
        (join([x["alt_title"], xp[0]]), join(yp), True),
        (join(xp[:2]), join([f"{rng.choice(DATELINES[lang])} {yp[0]}", yp[1]]), True),
        # One sentence against the other event: a template opening or a year is all that differs.
        (join(xp), yp[0], True),
        (xp[0], join(yp), True),
        (yp[0], xp[0], False),
    ]


def paraphrase_negatives(story: dict[str, Any], rewrite: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    full, lang = join(story["paragraphs"]), story["lang"]
    return [
        (full, join(rewrite["paragraphs"])),
        (join(rewrite["paragraphs"]), full),
        (join([*story["paragraphs"][:2], *leftovers(lang, story["title"], rng, 2)]), join(rewrite["paragraphs"][:2])),
        (join(rewrite["paragraphs"]), join([story["alt_title"], *story["paragraphs"]])),
    ]


def build() -> list[dict[str, Any]]:
    rng = random.Random(20240611)
    stories, rewrites = load()
    by_id = {s["id"]: s for s in stories}
    pairs: list[dict[str, Any]] = []

    def emit(a: str, b: str, label: str, kind: str, lang: str, a_story: str, b_story: str) -> None:
        pairs.append({"id": f"p{len(pairs):04d}", "label": label, "kind": kind, "lang": lang,
                      "a_story": a_story, "b_story": b_story, "a": a, "b": b})

    for number, story in enumerate(stories):
        other = stories[(number + 3) % len(stories)]
        for kind, a, b in copies(story, other["title"], rng):
            emit(a, b, "copy", kind, story["lang"], story["id"], story["id"])
    for x, y in zip(stories[::2], stories[1::2], strict=True):
        kind = "recurring" if x["topic"] in RECURRING_TOPICS else "same_topic"
        for a, b, a_is_x in topic_negatives(x, y, rng):
            a_story, b_story = (x["id"], y["id"]) if a_is_x else (y["id"], x["id"])
            emit(a, b, "different", kind, x["lang"], a_story, b_story)
    for rewrite in rewrites:
        story = by_id[rewrite["of"]]
        for a, b in paraphrase_negatives(story, rewrite, rng):
            first_is_rewrite = a.startswith(rewrite["paragraphs"][0])
            a_story, b_story = (rewrite["id"], story["id"]) if first_is_rewrite else (story["id"], rewrite["id"])
            emit(a, b, "different", "paraphrase", story["lang"], a_story, b_story)
    return pairs


if __name__ == "__main__":
    built = build()
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for pair in built:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")
    labels = [p["label"] for p in built]
    print(json.dumps({"pairs": len(built), "copy": labels.count("copy"), "different": labels.count("different")}))
