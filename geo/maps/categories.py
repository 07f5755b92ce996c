"""Category taxonomy: German labels for the mobility and offer types the district uses."""

from __future__ import annotations

import html

from geo.i18n import has_text, t

MOBILITY_TYPES = (
    "bahnhof",
    "bushaltestelle",
    "rufbus",
    "carsharing",
    "leihrad",
    "ladepunkt",
    "mitfahrbank",
)
# The column an upload's mapped mobility type is stored in (`geo.imports.type_map`).
TYPE_COLUMN = "mobility_type"


def category_label(value: str, lang: str = "de") -> str:
    """A readable label for a category value; unknown values are shown as they are."""
    key = f"cat.{str(value).strip().casefold()}"
    return t(key, lang) if has_text(key) else str(value)


def category_label_html(escaped_value: str, lang: str = "de") -> str:
    """Like `category_label` for a value that is already HTML-escaped (display frames)."""
    raw = html.unescape(escaped_value)
    label = category_label(raw, lang)
    return escaped_value if label == raw else html.escape(label)
