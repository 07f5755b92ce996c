"""Numbers and dates for people, by Babel's locale data: German de_DE, English en_GB.

One set of functions for everything shown or exported to people (pages, legends, tooltips,
messages, CSV exports for planners): German "30.700", "5,0", "12,3 %", "27.11.2026";
English "30,700", "5.0", "12.3%", "27 Nov 2026". en_GB rather than en_US because the
audience is European (day before month, 24-hour clock). Missing values show as "–".
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from numbers import Real

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton, get_date_format, get_datetime_format
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal, parse_pattern

from geo.clock import LOCAL_TZ

LOCALES = {"de": "de_DE", "en": "en_GB"}
MISSING = "–"


def locale_of(lang: str) -> str:
    """The Babel locale of a UI language (German for anything unknown)."""
    return LOCALES.get(lang, LOCALES["de"])


def _number(value: object) -> float | None:
    """`value` as a finite float, or None (None, NaN, text, infinities)."""
    if isinstance(value, bool) or not isinstance(value, Real | str):
        try:
            value = float(value)  # numpy scalars, Decimal
        except (TypeError, ValueError):
            return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def format_number(value: object, lang: str = "de", digits: int = 0, min_digits: int | None = None) -> str:
    """12345.6 → "12.345,6" (de) / "12,345.6" (en) with `digits` decimals.

    `min_digits` below `digits` drops trailing zeros down to that many ("5" rather than "5,00").
    """
    x = _number(value)
    if x is None:
        return MISSING
    low = digits if min_digits is None else min(min_digits, digits)
    pattern = "#,##0" + ("." + "0" * low + "#" * (digits - low) if digits else "")
    return format_decimal(x, format=pattern, locale=locale_of(lang))


def format_percent(share: object, lang: str = "de", digits: int = 1) -> str:
    """0.4567 → "45,7 %" (de) / "45.7%" (en): a share of 1 as a percentage."""
    x = _number(share)
    if x is None:
        return MISSING
    locale = Locale.parse(locale_of(lang))
    pattern = parse_pattern(locale.percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(x, locale)


def _local(value: datetime) -> datetime:
    """Aware times in the district's time zone; naive ones are local already."""
    return value.astimezone(LOCAL_TZ) if value.tzinfo is not None else value


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "NaT"


def format_date(value: date | datetime | None, lang: str = "de", style: str = "medium") -> str:
    """27.11.2026 (de) / 27 Nov 2026 (en); ``style="short"``: 27.11.26 / 27/11/2026."""
    if _is_missing(value):
        return MISSING
    day = _local(value).date() if isinstance(value, datetime) else value
    return _babel_date(day, style, locale=locale_of(lang))


def format_time(value: datetime | time | None, lang: str = "de", seconds: bool = False) -> str:
    """14:30 (or 14:30:05) in both languages: a 24-hour clock."""
    if _is_missing(value):
        return MISSING
    moment = _local(value).time() if isinstance(value, datetime) else value
    return _babel_time(moment, "medium" if seconds else "short", locale=locale_of(lang))


def format_datetime(value: datetime | None, lang: str = "de", seconds: bool = False) -> str:
    """27.11.2026, 14:30 (de) / 27 Nov 2026, 14:30 (en), in Berlin time."""
    if _is_missing(value):
        return MISSING
    pattern = get_datetime_format("medium", locale=locale_of(lang))
    day, clock = format_date(value, lang), format_time(value, lang, seconds)
    return pattern.replace("{1}", day).replace("{0}", clock)


def format_day(value: date | datetime, lang: str = "de") -> str:
    """A date with its weekday: "Fr., 27. Nov. 2026" (de) / "Fri, 27 Nov 2026" (en)."""
    if _is_missing(value):
        return MISSING
    day = _local(value).date() if isinstance(value, datetime) else value
    return format_skeleton("yMMMEd", day, locale=locale_of(lang))


def format_month(value: date | datetime, lang: str = "de") -> str:
    """The month and year: "November 2026" (both languages; "März 2026" / "March 2026")."""
    day = _local(value).date() if isinstance(value, datetime) else value
    return _babel_date(day, "LLLL yyyy", locale=locale_of(lang))


_MOMENT = {"y": "YYYY", "d": "D", "dd": "DD", "E": "ddd", "EEEE": "dddd"}


def moment_date_format(lang: str = "de") -> str:
    """`format_date`'s pattern in moment.js tokens ("DD.MM.YYYY" / "D MMM YYYY"), for widgets
    such as Streamlit's date slider that format in the browser."""

    def token(match: re.Match) -> str:
        text = match.group(0)
        if text.startswith("'"):
            return f"[{text.strip(chr(39))}]"
        if text[0] in "yE":
            return _MOMENT["EEEE" if text.startswith("EEEE") else text[0]]
        return _MOMENT.get(text, text)

    pattern = get_date_format("medium", locale=locale_of(lang)).pattern
    return re.sub(r"'[^']*'|y+|d+|E+|M+", token, pattern)
