"""Symbols: one per taxonomy type, committed files equal to the strings, legible and self-contained."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from geo.maps.categories import MOBILITY_TYPES
from geo.maps.symbols import (
    GENERIC,
    ICON_DIR,
    TYPES,
    icon_file_text,
    icon_url,
    symbol_colour,
    symbol_svg,
    symbol_type,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_every_taxonomy_type_has_its_own_symbol():
    for kind in (*MOBILITY_TYPES, "coworking", "event"):
        assert symbol_type(kind) == kind, kind
    colours = [symbol_colour(t) for t in TYPES]
    assert len(set(colours)) == len(colours)  # each type keeps its own colour, too


def test_committed_files_match_the_strings():
    on_disk = {p.stem for p in ICON_DIR.glob("*.svg")}
    assert on_disk == set(TYPES), "run `python -m geo.maps.symbols` after changing a symbol"
    for name in TYPES:
        assert (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8") == icon_file_text(name), name


@pytest.mark.parametrize("name", TYPES)
def test_symbol_is_valid_standalone_svg_with_a_high_contrast_disc(name):
    svg = symbol_svg(name)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg" and root.get("viewBox") == "0 0 32 32"
    assert (root.get("width"), root.get("height")) == ("28", "28")
    disc = root.find(f"{SVG_NS}circle")
    assert disc.get("fill") == symbol_colour(name) and disc.get("stroke") == "#1a1a1a"
    contrast = (1.05) / (luminance(symbol_colour(name)) + 0.05)  # white pictogram on the disc
    assert contrast >= 4.5, (name, round(contrast, 2))
    assert not re.search(r"<(script|image|foreignObject)|href|url\(|on\w+=", svg)  # nothing to fetch or run
    assert "{c}" not in svg


def test_aliases_unknown_values_urls_and_sizes():
    assert symbol_type("Bahnhof") == "bahnhof" and symbol_type(" BUS_STOP ") == "bushaltestelle"
    assert symbol_type("charging_station") == "ladepunkt" and symbol_type("events") == "event"
    assert symbol_type("Fähranleger") == GENERIC and symbol_type(None) == GENERIC
    assert symbol_svg("gibt es nicht") == symbol_svg(GENERIC)
    assert icon_url("Leihrad") == "app/static/icons/leihrad.svg"
    assert icon_url("xyz", "../../app/static/") == "../../app/static/icons/allgemein.svg"
    assert 'width="24" height="24"' in symbol_svg("ladepunkt", 24)
