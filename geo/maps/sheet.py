"""Printable map sheets ("Kartenblatt"): one PDF page with the map as shown, all vector.

The map is drawn with reportlab's own paths from the display frames (projected to a metric
CRS), so areas, lines, points and the QR code stay sharp at any print size and nothing is
fetched from outside: a sheet works offline, whatever basemap the screen shows.
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass

import segno
import shapely
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from geo import clock
from geo.errors import GeoError
from geo.i18n import t
from geo.maps.build import MapLayer, is_polygonal
from geo.maps.categories import category_label

PAPERS = {"A4": A4, "A3": A3}
SHEET_CRS = "EPSG:25832"  # metric, so the scale bar is true across the district
MARGIN, LEGEND_W, HEADER_H, FOOTER_H = 28.0, 190.0, 52.0, 46.0
_FONT, _BOLD = "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class _Frame:
    """The map's box on the page and the transform from metres into it."""

    x: float
    y: float
    w: float
    h: float
    minx: float
    miny: float
    scale: float  # points per metre

    def at(self, mx: float, my: float) -> tuple[float, float]:
        return self.x + (mx - self.minx) * self.scale, self.y + (my - self.miny) * self.scale


def page_size(paper: str, landscape_: bool) -> tuple[float, float]:
    size = PAPERS.get(paper, A4)
    return landscape(size) if landscape_ else portrait(size)


def render_sheet(
    layers: list[MapLayer],
    title: str,
    link: str,
    lang: str = "de",
    paper: str = "A4",
    landscape_: bool = True,
) -> bytes:
    """The sheet as PDF bytes: title, map, legend, scale bar, north arrow, sources, date, QR.

    Raises:
        GeoError: no layer is shown, or the shown layers have no features (nothing to print).
    """
    shown = [layer for layer in layers if len(layer.frame)]
    if not shown:
        raise GeoError("err.sheet_empty")
    width, height = page_size(paper, landscape_)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Smart-Region-Dashboard")
    projected = [(layer, layer.frame.to_crs(SHEET_CRS)) for layer in shown]
    frame = _fit(
        projected,
        MARGIN,
        MARGIN + FOOTER_H,
        width - 2 * MARGIN - LEGEND_W,
        height - HEADER_H - FOOTER_H - MARGIN,
    )
    c.setFont(_BOLD, 18)
    c.drawString(MARGIN, height - MARGIN - 14, title[:90])
    _draw_map(c, frame, projected)
    _scale_bar(c, frame)
    _north_arrow(c, frame)
    legend_x = frame.x + frame.w + 14
    bottom = _qr(c, link, legend_x, MARGIN + FOOTER_H, t("sheet.live_view", lang))
    _legend(c, shown, lang, legend_x, frame.y + frame.h, bottom)
    _footer(c, shown, lang, width)
    c.showPage()
    c.save()
    return out.getvalue()


def _fit(projected, x: float, y: float, w: float, h: float) -> _Frame:
    """The box and a scale that shows every feature, with a little room around."""
    bounds = [gdf.total_bounds for _, gdf in projected]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    dx, dy = max(maxx - minx, 200.0), max(maxy - miny, 200.0)
    scale = min(w / (dx * 1.08), h / (dy * 1.08))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return _Frame(x, y, w, h, cx - w / 2 / scale, cy - h / 2 / scale, scale)


def _draw_map(c: Canvas, frame: _Frame, projected) -> None:
    c.saveState()
    c.setStrokeColor(HexColor("#000000"))
    c.rect(frame.x, frame.y, frame.w, frame.h)
    clip = c.beginPath()
    clip.rect(frame.x, frame.y, frame.w, frame.h)
    c.clipPath(clip, stroke=0, fill=0)
    for layer, gdf in projected:  # drawn in the map's order: areas below, points on top
        municipal = layer.info.kind == "municipalities"
        for category, geom in zip(gdf["category"], gdf.geometry, strict=True):
            colour = HexColor(layer.colours.get(category, layer.base_colour))
            c.setStrokeColor(colour)
            c.setFillColor(colour)
            _draw_geometry(c, frame, geom, is_polygonal(layer.info) or municipal)
        if municipal:
            _labels(c, frame, gdf)
    c.restoreState()


def _draw_geometry(c: Canvas, frame: _Frame, geom, polygonal: bool) -> None:
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Point":
            x, y = frame.at(part.x, part.y)
            c.setFillAlpha(1)
            c.setLineWidth(0.6)
            c.circle(x, y, 3.2, stroke=0, fill=1)
        elif part.geom_type == "Polygon":
            path = c.beginPath()
            for ring in (part.exterior, *part.interiors):
                _trace(path, frame, ring.coords, close=True)
            c.setFillAlpha(0.12 if polygonal else 0.3)
            c.setLineWidth(0.7)
            c.drawPath(path, stroke=1, fill=1, fillMode=0)
        elif part.geom_type in ("LineString", "LinearRing"):
            path = c.beginPath()
            _trace(path, frame, part.coords, close=False)
            c.setLineWidth(1.4)
            c.drawPath(path, stroke=1, fill=0)


def _trace(path, frame: _Frame, coords, close: bool) -> None:
    points = [frame.at(x, y) for x, y, *_ in coords]
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    if close:
        path.close()


def _labels(c: Canvas, frame: _Frame, gdf) -> None:
    """Municipality names at a point inside each area, so a reader finds their place."""
    c.setFillAlpha(1)
    c.setFillColor(HexColor("#1a1a1a"))
    c.setFont(_FONT, 6.5)
    for name, point in zip(gdf["name"], shapely.point_on_surface(gdf.geometry.values), strict=True):
        if name:
            x, y = frame.at(point.x, point.y)
            c.drawCentredString(x, y - 2, html.unescape(str(name))[:40])


def _nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above `metres`."""
    power = 10 ** math.floor(math.log10(metres))
    return max(step * power for step in (1, 2, 5) if step * power <= metres)


def _scale_bar(c: Canvas, frame: _Frame) -> None:
    metres = _nice_length(frame.w / 4 / frame.scale)
    length = metres * frame.scale
    x, y = frame.x + 10, frame.y + 10
    c.setFillColor(HexColor("#ffffff"))
    c.rect(x - 4, y - 4, length + 50, 20, stroke=0, fill=1)
    c.setFillColor(HexColor("#000000"))
    c.rect(x, y, length / 2, 4, stroke=1, fill=1)
    c.rect(x + length / 2, y, length / 2, 4, stroke=1, fill=0)
    c.setFont(_FONT, 8)
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    c.drawString(x + length + 4, y, label)


def _north_arrow(c: Canvas, frame: _Frame) -> None:
    """North is up: the sheet's CRS (UTM 32) has grid north within 2° of true north here."""
    x, y = frame.x + frame.w - 20, frame.y + frame.h - 42
    path = c.beginPath()
    path.moveTo(x, y + 26)
    path.lineTo(x - 8, y)
    path.lineTo(x, y + 6)
    path.lineTo(x + 8, y)
    path.close()
    c.setFillColor(HexColor("#000000"))
    c.drawPath(path, stroke=0, fill=1)
    c.setFont(_BOLD, 11)
    c.drawCentredString(x, y + 29, "N")


def _legend(c: Canvas, layers: list[MapLayer], lang: str, x: float, top: float, bottom: float) -> None:
    """Each layer's title and its categories with the colour used on the map."""
    y = top - 12
    c.setFillColor(HexColor("#000000"))
    c.setFont(_BOLD, 12)
    c.drawString(x, y, t("sheet.legend", lang))
    for layer in layers:
        y -= 18
        if y < bottom:
            return
        c.setFillColor(HexColor("#000000"))
        c.setFont(_BOLD, 9)
        c.drawString(x, y, f"{layer.info.title[:38]} ({len(layer.frame)})")
        rows = layer.colours.items() or [("", layer.base_colour)]
        for category, colour in rows:
            y -= 13
            if y < bottom:
                return
            c.setFillColor(HexColor(colour))
            c.rect(x + 2, y, 8, 8, stroke=0, fill=1)
            c.setFillColor(HexColor("#000000"))
            c.setFont(_FONT, 9)
            text = category_label(html.unescape(category), lang) if category else layer.info.title
            c.drawString(x + 14, y + 1, text[:40])


def _qr(c: Canvas, link: str, x: float, y: float, caption: str) -> float:
    """The live view's QR code as vector squares; returns the top edge left for the legend."""
    if not link:
        return y
    matrix = [list(row) for row in segno.make(link, error="m").matrix]
    cell = min(LEGEND_W - 20, 110) / len(matrix)
    c.setFillColor(HexColor("#000000"))
    size = cell * len(matrix)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                c.rect(x + col_index * cell, y + size - (row_index + 1) * cell, cell, cell, stroke=0, fill=1)
    c.setFont(_FONT, 8)
    c.drawString(x, y - 10, caption)
    return y + size + 10


def _footer(c: Canvas, layers: list[MapLayer], lang: str, width: float) -> None:
    """Sources (every shown layer's attribution) and the date the sheet was made."""
    sources = "; ".join(dict.fromkeys(layer.info.attribution for layer in layers if layer.info.attribution))
    stamp = t("sheet.date", lang, date=f"{clock.local_now():%d.%m.%Y %H:%M}")
    text = t("sheet.sources", lang, sources=sources or "–")
    c.setFillColor(HexColor("#000000"))
    c.setFont(_FONT, 7.5)
    lines = simpleSplit(text, _FONT, 7.5, width - 2 * MARGIN - 130)[:4]
    for i, line in enumerate(lines):
        c.drawString(MARGIN, MARGIN + 30 - i * 9, line)
    c.drawRightString(width - MARGIN, MARGIN + 30, stamp)
