"""Language identification with py3langid, restricted to the languages the service handles."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)

UNDETERMINED = "und"  # ISO 639-2 code for text with no letters to judge by
SAMPLE_CHARS = 1000  # the first ~1000 chars decide; the rest only costs time


class LanguageIdentifier:
    """`detect(text)` → one of `languages` (or "und" when the text has no letters).

    The model (~1.7 s to load) is loaded on the first call, never at import or construction.
    """

    def __init__(self, languages: Sequence[str]) -> None:
        if not languages:
            raise ValueError("LanguageIdentifier needs at least one language, e.g. ['ar', 'en']")
        self.languages: tuple[str, ...] = tuple(dict.fromkeys(lang.strip().lower() for lang in languages))
        self._needs_model = len(self.languages) > 1  # with one language the answer is that language
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded_model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from py3langid.langid import MODEL_FILE
                    from py3langid.langid import LanguageIdentifier as Py3LangId

                    model = Py3LangId.from_model_file(MODEL_FILE)
                    model.set_languages(list(self.languages))  # rejects codes py3langid lacks
                    self._model = model
        return self._model

    @property
    def loaded(self) -> bool:
        """True once detect() can answer without loading the model first."""
        return self._model is not None or not self._needs_model

    def load(self) -> None:
        """Load the model now (1-2 s), e.g. in a thread at startup, instead of on the first article."""
        if self._needs_model:
            self._loaded_model()

    def detect(self, text: str) -> str:
        sample = text[:SAMPLE_CHARS]
        if not any(char.isalpha() for char in sample):
            return UNDETERMINED
        if not self._needs_model:
            return self.languages[0]
        lang, _score = self._loaded_model().classify(sample)
        return str(lang)
