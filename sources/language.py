"""Which language a text is written in, and which PostgreSQL text-search configuration reads it.

Detection uses ``lingua-language-detector``, whose models ship inside the package (nothing is
downloaded). It is restricted to the languages a newsroom desk is likely to meet, which makes
it faster and more accurate on short texts such as headlines, and runs in lingua's
low-accuracy mode (trigram models only): the high-accuracy mode loads every 1- to 5-gram model
of all 30 languages, about 600 MB per process, which a worker holding the embedding and stance
models cannot afford, for one headline more in 76 (``language_eval`` measures both figures).
The detector is built once per process, lazily, and only loads the models a text needs.

Django-free: used by the article store (``sources.documents``) and by the claims app.
"""

from __future__ import annotations

import threading

from workbench.metrics import model_timed

#: ISO 639-1 code -> PostgreSQL's built-in text-search configuration (PostgreSQL 16).
TS_CONFIGS: dict[str, str] = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
#: Languages without a stemmer of their own are read word by word.
FALLBACK_TS_CONFIG = "simple"

#: The languages detection chooses among (ISO 639-1), and their names for badges.
LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "nb": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sr": "Serbian",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}
#: Below this many letters a text says too little to tell its language.
MIN_LETTERS = 3

_detector = None
_lock = threading.Lock()


def ts_config(language: str | None) -> str:
    """The text-search configuration for an ISO code (``simple`` when PostgreSQL has none)."""
    return TS_CONFIGS.get((language or "").split("-")[0].lower(), FALLBACK_TS_CONFIG)


def language_name(language: str | None) -> str:
    code = (language or "").split("-")[0].lower()
    return LANGUAGE_NAMES.get(code, code.upper())


def build_detector(*, low_accuracy: bool = True):
    """A lingua detector over :data:`LANGUAGE_NAMES` (``low_accuracy=False``: lingua's
    high-accuracy mode, measured by ``language_eval --high-accuracy``, not used at run time)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGE_NAMES
    ]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _get_detector():
    global _detector
    with _lock:
        if _detector is None:
            _detector = build_detector()
        return _detector


def detect_language(text: str | None, *, detector=None) -> str:
    """ISO 639-1 code of the text's language, or ``""`` when it cannot tell."""
    text = " ".join((text or "").split())[:1000]
    if sum(1 for ch in text if ch.isalpha()) < MIN_LETTERS:
        return ""
    detector = detector or _get_detector()
    with model_timed("language"):
        language = detector.detect_language_of(text)
    if language is None:
        return ""
    return language.iso_code_639_1.name.lower()


def detect_languages(texts: list[str]) -> list[str]:
    return [detect_language(t) for t in texts]
