"""Text normalisation used only for fingerprints (never for the published text).

Two copies of a story should normalise to the same string even when one site writes
"إنّ" and another "ان", uses Arabic-Indic digits, curly quotes or tatweel for justification.
The fold is a per-code-point lookup table applied with numpy: str.translate costs ~50 ns a
character on Arabic text, which alone would eat the throughput budget.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np
import numpy.typing as npt

CodePoints = npt.NDArray[np.uint32]

_DELETE = 0
_SPACE = 0x20
_LETTER_FOLDS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef with hamza/madda/wasla
    "ؤ": "و", "ئ": "ي", "ى": "ي",  # hamza seats, alef maqsura
    "ة": "ه",  # ta marbuta
    "ی": "ي", "ک": "ك",  # Persian yeh and keheh
}
_DIGIT_BLOCKS = (0x0660, 0x06F0)  # Arabic-Indic and Persian (extended Arabic-Indic) digits
_TATWEEL = 0x0640
_QUOTES = "\"'`´′″‚„＂＇"
_COMPATIBILITY_FORMS = re.compile("[\ufb00-\ufdff\ufe70-\ufeff\uff00-\uffef]")


@cache
def _fold_table() -> CodePoints:
    """Code point → folded code point (0 = delete). Built on first use, not at import."""
    table = np.arange(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Mn", "Cf", "Pi", "Pf") or char in _QUOTES:
            # Harakat, superscript alef, Quranic marks, ZWJ/ZWNJ/RLM, and quotes: a quote is
            # deleted, not spaced, so و"نعم" matches a copy that printed ونعم.
            table[code] = _DELETE
        elif category[0] in "PSZ" or category in ("Cc", "Cs", "Co", "Cn"):  # punctuation, quotes
            table[code] = _SPACE
        else:
            # Accented letters fold to their base letter so composed and decomposed spellings
            # agree (the decomposed marks are deleted above); this also folds آ أ إ ؤ ئ.
            base = unicodedata.normalize("NFD", char)[0]
            lower = base.lower()
            if len(lower) == 1:
                table[code] = ord(lower)
    for block in _DIGIT_BLOCKS:
        table[block : block + 10] = np.arange(ord("0"), ord("9") + 1)
    for source, target in _LETTER_FOLDS.items():
        table[ord(source)] = ord(target)
    table[_TATWEEL] = _DELETE
    table[0] = _SPACE
    return table


def normalized_code_points(text: str) -> CodePoints:
    """The normalised text as UTF-32 code points: words separated by exactly one space."""
    if _COMPATIBILITY_FORMS.search(text):
        # Presentation forms (ﻻ, ﺍ), ligatures and fullwidth letters become base letters.
        # Full NFKC costs ~50 us per 3 KB, so only texts that carry such forms pay it.
        text = unicodedata.normalize("NFKC", text)
    raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # Outside the BMP is almost only emoji and symbols: treat as separators.
    folded = np.where(raw < 0x10000, _fold_table()[np.minimum(raw, 0xFFFF)], _SPACE)
    folded = folded[folded != _DELETE]
    is_space = folded == _SPACE
    after_space = np.empty_like(is_space)
    if is_space.size:
        after_space[0] = True  # drops leading spaces
        after_space[1:] = is_space[:-1]
    collapsed = folded[~(is_space & after_space)]
    if collapsed.size and collapsed[-1] == _SPACE:
        collapsed = collapsed[:-1]
    result: CodePoints = collapsed.astype(np.uint32, copy=False)
    return result


def normalize_for_fingerprint(text: str) -> str:
    """Fold spelling variants, drop marks and punctuation, lowercase, collapse whitespace."""
    return normalized_code_points(text).tobytes().decode("utf-32-le")
