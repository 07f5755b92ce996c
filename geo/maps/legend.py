"""Legend HTML: every category with its symbol and its text, never colour alone."""

from __future__ import annotations

import html

from geo.i18n import t, tn
from geo.maps.build import MapLayer, category_svg, is_polygonal, uses_symbols
from geo.maps.categories import category_label_html
from geo.maps.symbols import svg_image


def _symbol(colour: str, polygonal: bool) -> str:
    shape = (
        f'<rect x="2" y="2" width="14" height="14" fill="{colour}" fill-opacity="0.35" stroke="{colour}" '
        'stroke-width="2"/>'
        if polygonal
        else f'<circle cx="9" cy="9" r="6.5" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>'
    )
    return svg_image(f'<svg width="18" height="18">{shape}</svg>')


def _category_text(escaped: str, lang: str) -> str:
    return category_label_html(escaped, lang) if escaped else html.escape(t("ui.no_category", lang))


def _rows(layer: MapLayer, lang: str) -> list[str]:
    """One row per category: the same symbol as on the map, and the text."""
    poly = is_polygonal(layer.info)
    if uses_symbols(layer):
        categories = sorted(set(layer.frame["category"])) or [""]
        symbols = {c: svg_image(category_svg(layer, c, 20)) for c in categories}
        return [f"<li>{symbols[c]} <span>{_category_text(c, lang)}</span></li>" for c in categories]
    return [
        f"<li>{_symbol(colour, poly)} <span>{_category_text(category, lang)}</span></li>"
        for category, colour in layer.colours.items()  # category values are escaped already
    ] or [f"<li>{_symbol(layer.base_colour, poly)} <span>{html.escape(layer.info.title)}</span></li>"]


def legend_html(layers: list[MapLayer], counts: dict[str, int], lang: str = "de") -> str:
    """One block per visible layer: title with feature count, then its categories."""
    blocks = []
    for layer in layers:
        title = html.escape(layer.info.title)
        n = counts.get(layer.info.id, len(layer.frame))
        blocks.append(
            f'<div class="sr-legend-layer"><strong>{title}</strong> '
            f'<span class="sr-count">({html.escape(tn("ui.features", n, lang))})</span>'
            f"<ul>{''.join(_rows(layer, lang))}</ul></div>"
        )
    return '<div class="sr-legend">' + "".join(blocks) + "</div>"


LEGEND_CSS = """
<style>
.sr-legend ul { list-style: none; padding-left: 0.2rem; margin: 0.2rem 0 0.8rem 0; }
.sr-legend li { display: flex; align-items: center; gap: 0.4rem; line-height: 1.6; }
.sr-legend .sr-count { color: #3d3d3d; font-size: 0.9em; }
</style>
"""
