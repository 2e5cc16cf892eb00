"""How sure a join is: a logistic score over the evidence two articles share.

Pair evidence (same language): TF-IDF cosines of terms and of entity keys, the cosine of the
cross-lingual vectors, shared entity keys, shared and disjoint "big" numbers (not years),
numbers that disagree in the same word context (another toll of the same thing) or agree,
disjoint years, shared or disjoint day-month dates. Across languages the word terms and the
number contexts mean nothing, so those features are zero and another weight vector is used.

The weights are a logistic regression fitted on the labelled real pages
(`benchmarks/eval_stories.py --fit` prints them; its default run reports the figures of
weights fitted with each topic held out, so the printed quality is not the fit's own data).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FEATURES = ("terms", "names_tfidf", "vector", "names", "big_shared", "big_disjoint", "conflicts",
            "agreements", "years_disjoint", "dates_shared", "dates_disjoint", "bias")
Floats = npt.NDArray[np.float64]

# Fitted by `benchmarks/eval_stories.py --fit` on the real corpus (see the module docstring).
SAME_LANGUAGE = np.array([2.1, 1.58, 1.94, 1.42, 1.08, -0.99, -0.2, 0.67, -0.4, 0.02, -0.23, -4.68])
CROSS_LANGUAGE = np.array([0.0, 1.15, 3.77, 1.76, 1.93, -1.05, 0.0, 0.0, -0.43, 0.29, -0.42, -4.36])
# A join needs this probability; an event link across languages needs CROSS_THRESHOLD. Chosen on
# eval_stories.py runs (join 0.5 / 0.7 / 0.85): precision first, the corpus's hard negatives are near.
JOIN_THRESHOLD = 0.7
CROSS_THRESHOLD = 0.7
NAMES_CAP, BIG_CAP, CONTEXT_CAP = 8, 3, 3
DECAY = 1.0


def probability(evidence: Floats, weights: Floats, offset: Floats | float = 0.0) -> Floats:
    """Rows of evidence (len(FEATURES) columns, bias = 1) → join probability per row; offset is
    added to the logit (the time decay)."""
    z = evidence @ weights + offset
    out: Floats = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


def evidence_row(
    terms: float, names_tfidf: float, vector: float, names: int, big_shared: int, big_disjoint: bool,
    conflicts: int, agreements: int, years_disjoint: bool, dates_shared: bool, dates_disjoint: bool,
) -> list[float]:
    """One evidence row in FEATURES order, scaled as the weights expect."""
    return [terms, names_tfidf, vector, min(names, NAMES_CAP) / NAMES_CAP, min(big_shared, BIG_CAP) / BIG_CAP,
            float(big_disjoint), min(conflicts, CONTEXT_CAP) / CONTEXT_CAP, min(agreements, CONTEXT_CAP) / CONTEXT_CAP,
            float(years_disjoint), float(dates_shared), float(dates_disjoint), 1.0]


def idf(document_frequency: npt.NDArray[np.uint32], documents: int) -> Floats:
    """Smoothed (+1): at the start of a stream every word is in every held document, and a plain idf
    of 0 would make every cosine 0."""
    out: Floats = np.log((documents + 1.0) / (document_frequency.astype(np.float64) + 1.0)) + 1.0
    return out


def log_tf(counts: npt.NDArray[np.uint8]) -> Floats:
    with np.errstate(divide="ignore"):
        out: Floats = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1).astype(np.float64)), 0.0)
    return out


def decay(seconds_apart: Floats, window_seconds: float) -> Floats:
    """Evidence lost with time, in logits: 0 at the same moment, -DECAY a full window apart
    (chosen, not fitted: the corpus pages have no reliable times)."""
    out: Floats = -DECAY * np.minimum(1.0, np.abs(seconds_apart) / window_seconds)
    return out
