"""The language of the package's words for learners: English (default) or Chinese.

Exercise questions, feedback and hints, explorer labels and readouts, the progress view
and the words drawn in figures go through :func:`gettext` (alias ``_``), with catalogues
shipped in ``lstm_gru_course/locale/<lang>/LC_MESSAGES/<domain>.mo`` (made from the
``.po`` next to it by ``python tools/i18n_package.py``). The Chinese notebooks in
``book/zh`` call ``set_language("zh_CN")``; the environment variable
``LSTM_GRU_COURSE_LANG=zh_CN`` does the same for a whole session.

Error messages for bad input stay in English on purpose: they name the argument and are
what a learner pastes into a search engine.

>>> from lstm_gru_course import i18n
>>> i18n.set_language("en")
>>> i18n.get_language()
'en'
>>> i18n.set_language("fr")
Traceback (most recent call last):
...
ValueError: language must be one of 'en', 'zh_CN'; got 'fr'
"""

from __future__ import annotations

import gettext as _gettext
import os
from importlib import resources

# One catalogue per part of the package (tools/i18n_package.py lists their sources).
DOMAINS = ("exercises", "pictures")
LANGUAGES = ("en", "zh_CN")
ENV = "LSTM_GRU_COURSE_LANG"
_ALIASES = {"zh": "zh_CN", "zh-CN": "zh_CN", "zh_cn": "zh_CN", "zh-Hans": "zh_CN", "en_US": "en"}
_state: dict = {"language": None, "translations": None}


def _normalise(language) -> str:
    if not isinstance(language, str):
        raise TypeError(
            f"language must be a string such as 'en' or 'zh_CN'; got {type(language).__name__}"
        )
    code = _ALIASES.get(language.strip(), language.strip())
    if code not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(map(repr, LANGUAGES))}; got {language!r}"
        )
    return code


def set_language(language: str) -> None:
    """Use ``language`` ('en' or 'zh_CN') for everything the package says from now on."""
    code = _normalise(language)
    if code == "en":
        translations = _gettext.NullTranslations()
    else:
        translations = _gettext.NullTranslations()
        folder = resources.files("lstm_gru_course") / "locale" / code / "LC_MESSAGES"
        for domain in DOMAINS:
            catalogue = folder / f"{domain}.mo"
            if catalogue.is_file():
                with catalogue.open("rb") as f:
                    found = _gettext.GNUTranslations(f)
                found.add_fallback(translations)
                translations = found
    _state["language"], _state["translations"] = code, translations


def get_language() -> str:
    """The language in use: set by :func:`set_language`, else $LSTM_GRU_COURSE_LANG, else 'en'."""
    if _state["language"] is None:
        try:
            set_language(os.environ.get(ENV) or "en")
        except (TypeError, ValueError):
            set_language("en")
    return _state["language"]


def gettext(message: str) -> str:
    """``message`` in the current language (itself when there is no translation)."""
    get_language()
    return _state["translations"].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the current language."""
    get_language()
    return _state["translations"].ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation without translating it yet (translate on display)."""
    return message


_ = gettext
