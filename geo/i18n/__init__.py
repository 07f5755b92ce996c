"""Every UI text and user-facing message, German and English, and how numbers and dates read.

Texts live in gettext catalogs (``locales/<lang>/LC_MESSAGES/messages.po``) keyed by symbolic
message ids (``err.*`` user errors, ``ui.*`` labels, …). The API is small:

- ``t(key, lang, **params)`` a text; ``tn(key, n, lang, **params)`` one with a count ("1 Objekt",
  "2 Objekte"; the count goes in as ``{n}``).
- ``Msg(key, **params)`` a text to translate later, in the language of whatever shows it (reasons
  inside a `GeoError`, import warnings): never a German word inside an English message.
- Parameters are rendered for the target language: `Msg` values (and tuples of them, joined by
  commas) translated; numbers as "30.700" / "30,700" (identifiers ``id``, ``*_id``, ``version``,
  ``old`` as they are); dates and times as in `geo.i18n.formats`.

A key missing from a catalog shows as the key and is logged once; with
``SMART_REGION_STRICT_I18N=1`` (the tests set it) it raises `MissingTranslationError` instead.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from numbers import Integral, Real

from geo.config import load_settings
from geo.i18n.catalogs import compiled
from geo.i18n.formats import (
    MISSING,
    format_date,
    format_datetime,
    format_day,
    format_month,
    format_number,
    format_percent,
    format_time,
    locale_of,
    moment_date_format,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MISSING",
    "MissingTranslationError",
    "Msg",
    "format_date",
    "format_datetime",
    "format_day",
    "format_month",
    "format_number",
    "format_percent",
    "format_time",
    "has_text",
    "locale_of",
    "moment_date_format",
    "render",
    "t",
    "tn",
]

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
_VERBATIM = ("id", "version", "old")  # numbers that name something rather than count it

log = logging.getLogger(__name__)
_reported: set[tuple[str, str]] = set()


class MissingTranslationError(LookupError):
    """A key without text in a catalog (raised only in strict mode, i.e. in tests)."""


class Msg:
    """A translatable text with its parameters, rendered when the target language is known."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.params))))


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def has_text(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether `key` has a text in `lang` (for values that may or may not be keys)."""
    return key in compiled(_lang(lang)).keys


def render(value: object, lang: str = DEFAULT_LANGUAGE, name: str = "") -> object:
    """A message parameter as people in `lang` read it (see the module docstring)."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, tuple | list) and value and all(isinstance(v, Msg) for v in value):
        return ", ".join(v.render(lang) for v in value)
    if isinstance(value, bool) or name in _VERBATIM or name.endswith("_id"):
        return value
    if isinstance(value, datetime):
        return format_datetime(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, Integral):
        return format_number(value, lang)
    if isinstance(value, Real):
        return format_number(value, lang, digits=2, min_digits=0)
    return value


def _missing(key: str, lang: str) -> str:
    if load_settings().strict_i18n:
        raise MissingTranslationError(f"no {lang} text for {key!r}")
    if (key, lang) not in _reported:
        _reported.add((key, lang))
        log.warning("no %s text for %r; showing the key", lang, key)
    return key


def _fill(text: str, lang: str, params: dict[str, object]) -> str:
    return text.format(**{k: render(v, lang, k) for k, v in params.items()}) if params else text


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text of `key` in `lang` with `params` filled in (a plural key takes its count as `n`)."""
    lang = _lang(lang)
    catalog = compiled(lang)
    if key not in catalog.keys:
        return _missing(key, lang)
    if key in catalog.plural_keys:
        if "n" not in params:
            return _missing(f"{key} (plural, needs n)", lang)
        return tn(key, params.pop("n"), lang, **params)  # type: ignore[arg-type]
    return _fill(catalog.translations.gettext(key), lang, params)


def tn(key: str, n: int, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The form of plural entry `key` for count `n` in `lang`, with ``{n}`` shown as "1.234"."""
    lang = _lang(lang)
    catalog = compiled(lang)
    if key not in catalog.plural_keys:
        return _missing(f"{key} (plural)", lang)
    return _fill(catalog.translations.ngettext(key, key, int(n)), lang, {"n": int(n), **params})
