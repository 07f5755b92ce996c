"""Pictograms for mobility types, coworking and events: inline SVG and files the app serves.

Each symbol is a white pictogram on a coloured disc with a dark outline, so it reads on
light and dark basemaps and on a projector, at 24–32 px. The same string is used inline
(legend) and as ``static/icons/<type>.svg`` (map markers, served by Streamlit's static
serving, never from a CDN). The drawings are our own, made of a few basic shapes.
Regenerate the files after changing a drawing: ``python -m geo.maps.symbols``.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from geo.config import REPO_ROOT

ICON_DIR = REPO_ROOT / "static" / "icons"
SIZE = 28
OUTLINE = "#1a1a1a"
W = "#ffffff"
GENERIC = "allgemein"

# type: (disc colour, pictogram); "{c}" is the disc colour, for cut-outs in the white shape.
_SYMBOLS: dict[str, tuple[str, str]] = {
    "bahnhof": (
        "#b3261e",
        f'<rect x="10" y="6.5" width="12" height="15.5" rx="3" fill="{W}"/>'
        '<rect x="12" y="9" width="8" height="5.5" rx="1" fill="{c}"/>'
        '<circle cx="13.3" cy="18.4" r="1.2" fill="{c}"/><circle cx="18.7" cy="18.4" r="1.2" fill="{c}"/>'
        f'<path d="M12.5 22.5 9.5 26.5M19.5 22.5l3 4" stroke="{W}" stroke-width="2" stroke-linecap="round"/>',
    ),
    "bushaltestelle": (
        "#1b7f3b",
        f'<path d="M10 8h3.6v6.3h4.8V8H22v16h-3.6v-6.3h-4.8V24H10z" fill="{W}"/>',
    ),
    "rufbus": (
        "#6a3d9a",
        f'<rect x="6" y="12" width="20" height="9.5" rx="2.5" fill="{W}"/>'
        '<rect x="8" y="13.8" width="4" height="3.4" rx=".6" fill="{c}"/>'
        '<rect x="13.5" y="13.8" width="4" height="3.4" rx=".6" fill="{c}"/>'
        '<rect x="19" y="13.8" width="5" height="3.4" rx=".6" fill="{c}"/>'
        f'<circle cx="11" cy="22" r="2.3" fill="{W}" stroke="{{c}}" stroke-width="1.2"/>'
        f'<circle cx="21" cy="22" r="2.3" fill="{W}" stroke="{{c}}" stroke-width="1.2"/>'
        f'<path d="M13 9.2a4.5 4.5 0 0 1 6 0M14.8 10.6a2 2 0 0 1 2.4 0" stroke="{W}" stroke-width="1.6" '
        'fill="none" stroke-linecap="round"/>',
    ),
    "carsharing": (
        "#0b5394",
        f'<path d="M6 20.5v-4l3.5-5h11l4.5 4.5h1v4.5z" fill="{W}"/>'
        '<path d="M10.6 12.8h4.4v3.4H8.3zM16.4 12.8h3.6l3 3.4h-6.6z" fill="{c}"/>'
        f'<circle cx="11" cy="21" r="2.4" fill="{W}" stroke="{{c}}" stroke-width="1.3"/>'
        f'<circle cx="21" cy="21" r="2.4" fill="{W}" stroke="{{c}}" stroke-width="1.3"/>',
    ),
    "leihrad": (
        "#00707a",
        f'<g fill="none" stroke="{W}" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round">'
        '<circle cx="10" cy="19.5" r="4.6"/><circle cx="22" cy="19.5" r="4.6"/>'
        '<path d="M10 19.5l4-6.5h6l-4 6.5zM16 19.5l-2.4-8.5M12.3 11h3M20 13l2 6.5M19 10.5h2.5L20 13"/></g>',
    ),
    "ladepunkt": (
        "#8a4b00",
        f'<path d="M18.5 5.5 9.5 18h6l-1.8 8.5L22.5 14h-6z" fill="{W}" stroke-linejoin="round"/>',
    ),
    "mitfahrbank": (
        "#7b4b2a",
        f'<rect x="8" y="9.5" width="16" height="3.2" rx="1" fill="{W}"/>'
        f'<rect x="6.5" y="15.5" width="19" height="3.2" rx="1" fill="{W}"/>'
        f'<path d="M10 12.7v2.8M22 12.7v2.8M9.5 18.7v5M22.5 18.7v5" stroke="{W}" stroke-width="2.2" '
        'stroke-linecap="round"/>',
    ),
    "coworking": (
        "#9c2a73",
        f'<rect x="9" y="8.5" width="14" height="10.5" rx="1.2" fill="none" stroke="{W}" stroke-width="2.2"/>'
        f'<path d="M6 21h20l-1.8 2.8H7.8z" fill="{W}"/>',
    ),
    "event": (
        "#b33f00",
        f'<rect x="8" y="9.5" width="16" height="14.5" rx="2" fill="{W}"/>'
        '<rect x="8" y="9.5" width="16" height="3" fill="{c}" fill-opacity=".35"/>'
        f'<path d="M12 7v4.5M20 7v4.5" stroke="{W}" stroke-width="2.2" stroke-linecap="round"/>'
        '<g fill="{c}"><rect x="10.5" y="15" width="2.6" height="2.6"/><rect x="14.7" y="15" width="2.6" '
        'height="2.6"/><rect x="18.9" y="15" width="2.6" height="2.6"/><rect x="10.5" y="19" width="2.6" '
        'height="2.6"/><rect x="14.7" y="19" width="2.6" height="2.6"/></g>',
    ),
    GENERIC: ("#4d4d4d", f'<circle cx="16" cy="16" r="5.5" fill="{W}"/>'),
}
TYPES = tuple(_SYMBOLS)

# Other spellings planners and OSM use for the same things.
_ALIASES = {
    "bahnhof/haltepunkt": "bahnhof",
    "haltepunkt": "bahnhof",
    "station": "bahnhof",
    "train_station": "bahnhof",
    "bus": "bushaltestelle",
    "bus_stop": "bushaltestelle",
    "haltestelle": "bushaltestelle",
    "on-demand": "rufbus",
    "on_demand": "rufbus",
    "car_sharing": "carsharing",
    "bicycle_rental": "leihrad",
    "fahrradverleih": "leihrad",
    "bike_sharing": "leihrad",
    "charging_station": "ladepunkt",
    "ladesaeule": "ladepunkt",
    "ladesäule": "ladepunkt",
    "coworking_space": "coworking",
    "events": "event",
    "veranstaltung": "event",
    "veranstaltungen": "event",
}


def symbol_type(category: object) -> str:
    """The symbol key for a category value or layer kind; unknown values get the generic one."""
    key = str(category).strip().casefold()
    key = _ALIASES.get(key, key)
    return key if key in _SYMBOLS else GENERIC


def symbol_svg(category: object, size: int = SIZE, colour: str | None = None) -> str:
    """The pictogram as an inline SVG element (also the content of its file at `SIZE`);
    `colour` overrides the disc's (unknown categories each get their own)."""
    default, body = _SYMBOLS[symbol_type(category)]
    colour = colour or default
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 32 32" '
        f'aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="15" fill="{colour}" '
        f'stroke="{OUTLINE}" stroke-width="1.5"/>{body.replace("{c}", colour)}</svg>'
    )


def svg_image(svg: str) -> str:
    """`svg` as an ``<img>`` with a data URI: Streamlit's ``st.html`` strips inline SVG, so a
    legend drawn with inline symbols would show its texts without any symbol."""
    if "xmlns=" not in svg:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    size = re.search(r'width="(\d+)"', svg)
    width = f' width="{size.group(1)}" height="{size.group(1)}"' if size else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}"{width} alt="" aria-hidden="true">'


def symbol_colour(category: object) -> str:
    """The disc colour, for map markers and legends drawn without the pictogram."""
    return _SYMBOLS[symbol_type(category)][0]


def icon_url(category: object, base: str = "app/static/") -> str:
    """URL of the served file, below `base` (e.g. ``../../app/static/`` inside a map iframe)."""
    return f"{base.rstrip('/')}/icons/{symbol_type(category)}.svg"


def icon_file_text(category: str) -> str:
    return symbol_svg(category) + "\n"


def write_icons(target: Path = ICON_DIR) -> list[Path]:
    """Write every symbol to ``target/<type>.svg`` (they are committed; tests check they match)."""
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TYPES:
        path = target / f"{name}.svg"
        path.write_text(icon_file_text(name), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_icons():
        print(written.relative_to(REPO_ROOT))
