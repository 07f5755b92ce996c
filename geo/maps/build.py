"""Folium maps built from prepared layers, with every script and style served by the app."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field, replace

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.i18n import t
from geo.maps import assets
from geo.maps.categories import category_label_html
from geo.maps.cluster import OPTIONS as CLUSTER_OPTIONS
from geo.maps.cluster import ClusterPoints, needs_cluster
from geo.maps.display import KIND_COLOURS, category_colours
from geo.maps.fastlayer import CompactLayer, TileSource, VectorTileLayer
from geo.maps.projector import name_labels
from geo.maps.symbols import GENERIC, symbol_svg, symbol_type
from geo.maps.tilecache import tile_family
from geo.store import LayerInfo

# Relative to streamlit-folium's component frame (/component/<name>/index.html), so it also
# works below a reverse proxy's base path.
ASSET_BASE = "../../app/static/vendor/"


@dataclass(frozen=True)
class Basemap:
    label_key: str
    url: str | None
    attribution: str
    max_zoom: int = 18


BASEMAPS: dict[str, Basemap] = {
    "basemapde_farbe": Basemap(
        "basemap.farbe",
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/"
        "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        '© <a href="https://basemap.de">basemap.de</a> / BKG, dl-de/by-2-0',
    ),
    "basemapde_grau": Basemap(
        "basemap.grau",
        "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_grau/"
        "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        '© <a href="https://basemap.de">basemap.de</a> / BKG, dl-de/by-2-0',
    ),
    "topplusopen": Basemap(
        "basemap.topplus",
        "https://sgx.geodatenzentrum.de/wmts_topplus_open/tile/1.0.0/web/default/WEBMERCATOR/{z}/{y}/{x}.png",
        "© BKG, dl-de/by-2-0 (TopPlusOpen)",
    ),
    "osm": Basemap(
        "basemap.osm",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
        19,
    ),
    "none": Basemap("basemap.none", None, ""),
}
DEFAULT_BASEMAP = "basemapde_grau"


@dataclass
class MapLayer:
    """A layer ready to draw: its catalogue entry and its display frame (lon/lat, escaped)."""

    info: LayerInfo
    frame: gpd.GeoDataFrame
    visible: bool = True
    colours: dict[str, str] = field(default_factory=dict)
    presentation: bool = False  # projector: thicker lines, bigger symbols
    # large layers: vector tiles, or a compact payload or its URL (`geo.maps.tilecache`, `.payload`)
    source: TileSource | dict | str | None = None
    geojson: str | None = None  # prepared `layer_geojson` text (cached by the pages), else built here

    def __post_init__(self) -> None:
        if not self.colours and self.info.kind != "municipalities":  # areas: one symbol
            self.colours = category_colours(self.frame["category"], self.base_colour)

    @property
    def base_colour(self) -> str:
        return self.info.style.get("colour") or KIND_COLOURS.get(self.info.kind, "#009E73")


class _LayerAttribution(MacroElement):
    """Shows a layer's attribution on the map while the layer is switched on."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function(lyr) {
            lyr.options.attribution = {{ this.text|tojson }};
            if (lyr._map && lyr._map.attributionControl) {
                lyr._map.attributionControl.addAttribution(lyr.options.attribution);
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = html.escape(text)


def is_polygonal(info: LayerInfo) -> bool:
    return "Polygon" in info.geometry_type or info.kind == "municipalities"


def _style(layer: MapLayer):
    base, polygonal = layer.base_colour, is_polygonal(layer.info)
    municipal = layer.info.kind == "municipalities"

    scale = 2 if layer.presentation else 1
    outline = "#000000" if layer.presentation else "#ffffff"

    def style(feature: dict) -> dict:
        colour = layer.colours.get(feature["properties"].get("category"), base)
        if municipal:
            return {
                "color": base,
                "weight": 1.5 * scale,
                "fill": True,
                "fillColor": "#9ecae1",
                "fillOpacity": 0.25,
            }
        if polygonal:
            return {
                "color": colour,
                "weight": 2 * scale,
                "dashArray": "6 4",
                "fill": True,
                "fillOpacity": 0.15,
            }
        return {
            "color": outline,
            "weight": 1.5,
            "fill": True,
            "fillColor": colour,
            "fillOpacity": 0.95,
            "radius": 7 * (1.6 if layer.presentation else 1),
        }

    return style


def _type_labels(categories, lang: str):
    labels = {v: category_label_html(v, lang) for v in categories.unique()}
    return categories.map(labels)


SYMBOL_LIMIT = 1500  # pictogram markers are DOM elements: beyond this, canvas circles
_SYMBOL_KINDS = ("mobility", "coworking", "events")


def uses_symbols(layer: MapLayer) -> bool:
    """Points of the offer kinds get pictograms (symbol and legend match); others circles."""
    return (
        layer.info.kind in _SYMBOL_KINDS and not is_polygonal(layer.info) and len(layer.frame) <= SYMBOL_LIMIT
    )


def feature_symbol(escaped_category: str, kind: str) -> str:
    """The symbol key for a feature: its category if known, else its layer's kind."""
    key = symbol_type(html.unescape(escaped_category))
    return key if key != GENERIC else symbol_type(kind)


def category_svg(layer: MapLayer, escaped_category: str, size: int) -> str:
    """A feature's pictogram: its type's symbol, or for a category no symbol knows the generic
    one in the category's own colour, so that unknown categories stay apart (map and legend)."""
    key = feature_symbol(escaped_category, layer.info.kind)
    colour = layer.colours.get(escaped_category) if key == GENERIC else None
    return symbol_svg(key, size, colour)


def layer_geojson(frame: gpd.GeoDataFrame, layer_id: str, lang: str = "de") -> str:
    """The features as GeoJSON with what tooltips and clicks need: fid, name, type, layer id."""
    return frame.assign(layer=layer_id, type=_type_labels(frame["category"], lang)).to_json(drop_id=True)


def _symbol_marker(layer: MapLayer):
    size = 40 if layer.presentation else 28
    marker = folium.Marker(
        icon=folium.DivIcon(
            icon_size=(size, size), icon_anchor=(size // 2, size // 2), class_name="sr-symbol"
        )
    )
    svgs = {c: category_svg(layer, c, size) for c in layer.frame["category"].unique()}

    def style(feature: dict) -> dict:  # merged into the DivIcon's options by folium
        return {"html": svgs.get(feature["properties"].get("category"), svgs.get("", ""))}

    return marker, style


COMPACT_MIN_FEATURES = SYMBOL_LIMIT
COMPACT_MIN_VERTICES = 50_000


def needs_compact(frame: gpd.GeoDataFrame) -> bool:
    """Large layers go to the browser as a compact payload drawn on canvas (`geo.maps.payload`)."""
    return len(frame) > COMPACT_MIN_FEATURES or int(
        shapely.get_num_coordinates(frame.geometry.values).sum()
    ) > (COMPACT_MIN_VERTICES)


def _compact(layer: MapLayer, lang: str) -> CompactLayer | VectorTileLayer:
    labels = {"name": t("ui.name", lang), "type": t("ui.type", lang)}
    common = dict(
        colours=layer.colours,
        base_colour=layer.base_colour,
        kind=layer.info.kind,
        attribution=layer.info.attribution,
        layer_id=layer.info.id,
        labels=labels,
    )
    if isinstance(layer.source, TileSource):
        return VectorTileLayer(layer.source, layer.info.title, **common)
    cluster = CLUSTER_OPTIONS if needs_cluster(layer.frame, is_polygonal(layer.info)) else None
    tiles_next = tile_family(layer.frame) is not None  # areas or lines: tiles until theirs are cut
    return CompactLayer(layer.source, layer.info.title, cluster=cluster, tiles_next=tiles_next, **common)


def layer_group(layer: MapLayer, lang: str = "de", asset_base: str = ASSET_BASE) -> folium.FeatureGroup:
    """One layer as a feature group: features with a name/type tooltip, and its attribution."""
    group = folium.FeatureGroup(name=html.escape(layer.info.title), show=layer.visible)
    if layer.source is not None:
        return group.add_child(_compact(layer, lang))
    marker, style = (
        _symbol_marker(layer) if uses_symbols(layer) else (folium.CircleMarker(radius=7), _style(layer))
    )
    data = layer.geojson if layer.geojson is not None else layer_geojson(layer.frame, layer.info.id, lang)
    gj = folium.GeoJson(
        data,
        style_function=style,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "type"], aliases=[t("ui.name", lang), t("ui.type", lang)], labels=True
        ),
        zoom_on_click=False,
    )
    gj.add_child(_LayerAttribution(layer.info.attribution))
    if needs_cluster(layer.frame, is_polygonal(layer.info)):
        gj.add_child(ClusterPoints(asset_base))
    group.add_child(gj)
    return group


def layer_groups(
    layers: list[MapLayer], lang: str = "de", asset_base: str = ASSET_BASE
) -> list[folium.FeatureGroup]:
    """Feature groups for the non-empty `layers`, areas first so points stay clickable on top."""
    ordered = sorted((lyr for lyr in layers if len(lyr.frame)), key=lambda lyr: not is_polygonal(lyr.info))
    names = [name_labels(lyr) for lyr in ordered if lyr.presentation and lyr.info.kind == "municipalities"]
    return [layer_group(layer, lang, asset_base) for layer in ordered] + [group for group in names if group]


def use_local_assets(m: folium.Map, base: str = ASSET_BASE) -> folium.Map:
    """Point the map's script and style links at the app's own copies (no CDN)."""
    m.default_js = [("leaflet", base + assets.LEAFLET_JS)]
    m.default_css = [("leaflet_css", base + assets.LEAFLET_CSS)]
    return m


def initial_view(bboxes: list[tuple[float, float, float, float]]) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show all `bboxes` on a map about 900 × 600 px wide."""
    if not bboxes:
        return (51.16, 10.45), 6  # Germany
    minx, miny = min(b[0] for b in bboxes), min(b[1] for b in bboxes)
    maxx, maxy = max(b[2] for b in bboxes), max(b[3] for b in bboxes)
    lat = (miny + maxy) / 2
    span_x = max(maxx - minx, 1e-4) / 900 * 256  # degrees per 256-px tile width
    span_y = max(maxy - miny, 1e-4) / math.cos(math.radians(lat)) / 600 * 256
    zoom = int(math.floor(math.log2(360 / max(span_x, span_y))))
    return (lat, (minx + maxx) / 2), max(3, min(zoom, 17))


class _MapControls(MacroElement):
    """A metric scale bar (no miles), and the attribution in one line over the map that opens in
    full on click, hover or keyboard focus (its links stay reachable)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-control-attribution.sr-attr { max-width: calc(100vw - 140px); cursor: pointer;
          white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .leaflet-control-attribution.sr-attr.sr-open,
        .leaflet-control-attribution.sr-attr:hover,
        .leaflet-control-attribution.sr-attr:focus-within { white-space: normal; overflow: visible; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        (function (box) {
            if (!box) { return; }
            box.classList.add("sr-attr");
            box.title = {{ this.hint|tojson }};
            box.addEventListener("click", function (e) {
                if (!e.target.closest("a")) { box.classList.toggle("sr-open"); }
            });
        })({{ this._parent.get_name() }}.attributionControl
           && {{ this._parent.get_name() }}.attributionControl.getContainer());
        {% endmacro %}
        """
    )

    def __init__(self, hint: str) -> None:
        super().__init__()
        self._name = "MapControls"
        self.hint = hint


class KeepFirstView(MacroElement):
    """For streamlit-folium maps whose page reads the view back (``returned_objects`` with
    ``bounds``/``zoom``): the component reports the map's first view as soon as it is drawn,
    and that report reruns the whole page while the map is still drawing its layers (on two
    cores about a second of the first visit). The page set that view itself, so the first
    report is kept back; moves, zooms and clicks report as before. Without streamlit-folium
    (a standalone map) the script does nothing."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var init = window.initComponent, lib = window.Streamlit;
            if (!init || init.srKeepsFirstView || !lib || !lib.setComponentValue) { return; }
            window.initComponent = function (map, hover) {
                var send = lib.setComponentValue;
                lib.setComponentValue = function () {};  // the view the page just set: known
                try { return init(map, hover); } finally { lib.setComponentValue = send; }
            };
            window.initComponent.srKeepsFirstView = true;
        })();
        {% endmacro %}
        """
    )


# Projector mode: every label on the map at least 24 px, black on white; the map fills its frame
# (the page sizes the frame to the screen), area names on the map (`geo.maps.projector`).
PRESENTATION_CSS = """<style>
.leaflet-container { font-size: 24px; }
.leaflet-tooltip { font-size: 26px; line-height: 1.3; color: #000; border: 2px solid #000; }
.leaflet-control-attribution, .leaflet-control-scale-line { font-size: 24px !important; color: #000; }
.leaflet-control-zoom a { width: 48px !important; height: 48px !important; line-height: 48px !important;
  font-size: 32px !important; }
#map_div, #map_div2 { height: 100vh !important; }
.sr-name { background: none; border: none; }
.sr-name span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap; font-size: 24px;
  font-weight: 700; color: #000; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
</style>"""


def base_map(
    basemap: str = DEFAULT_BASEMAP,
    center: tuple[float, float] = (51.16, 10.45),
    zoom: int = 6,
    lang: str = "de",
    asset_base: str = ASSET_BASE,
    presentation: bool = False,
) -> folium.Map:
    """An empty map on `basemap`: what stays the same while layers and filters change."""
    bm = BASEMAPS.get(basemap, BASEMAPS[DEFAULT_BASEMAP])
    snap = 0.25 if presentation else 1  # a projector's map fits its screen closely (`geo.maps.projector`)
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, prefer_canvas=True, zoom_snap=snap)
    m.options["max_zoom"] = bm.max_zoom  # also without tiles ("none"): clustering needs a max zoom
    use_local_assets(m, asset_base)
    m.add_child(_MapControls(t("ui.attribution_hint", lang)))
    if presentation:
        m.get_root().header.add_child(Element(PRESENTATION_CSS))
    if bm.url:
        folium.TileLayer(
            bm.url, attr=bm.attribution, name=t(bm.label_key, lang), max_zoom=bm.max_zoom, control=False
        ).add_to(m)
    return m


def build_map(
    layers: list[MapLayer],
    basemap: str = DEFAULT_BASEMAP,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    lang: str = "de",
    asset_base: str = ASSET_BASE,
) -> folium.Map:
    """A complete map of `layers` (standalone exports, tests), fitted to them unless centred."""
    fit_center, fit_zoom = initial_view([lyr.info.bbox for lyr in layers if lyr.visible])
    m = base_map(basemap, center or fit_center, zoom or fit_zoom, lang, asset_base)
    for group in layer_groups(layers, lang, asset_base):
        group.add_to(m)
    if layers:
        folium.LayerControl(collapsed=False).add_to(m)
    return m


_INLINE = "inline-asset:"


def _script_text(name: str) -> str:
    return assets.read_asset(name).replace("</script", "<\\/script")


def standalone_html(layers: list[MapLayer], basemap: str, center, zoom, lang: str = "de") -> str:
    """The map as one HTML file with Leaflet inlined: opens anywhere, offline too."""
    inline = [replace(layer, source=None) for layer in layers]  # no fetches: one self-contained file
    page = build_map(inline, basemap, center, zoom, lang, asset_base=_INLINE).get_root().render()
    page = re.sub(
        rf'<script src="{_INLINE}([^"]+)"></script>',
        lambda mt: "<script>" + _script_text(mt.group(1)) + "</script>",
        page,
    )
    return re.sub(
        rf'<link rel="stylesheet" href="{_INLINE}([^"]+)"/>',
        lambda mt: "<style>" + assets.read_asset(mt.group(1)) + "</style>",
        page,
    )


def asset_links(m: folium.Map) -> list[str]:
    """Every script/style URL the map asks the browser to load (for the no-CDN check)."""
    links: list[str] = []

    def walk(element) -> None:
        links.extend(src for _, src in getattr(element, "default_js", []))
        links.extend(href for _, href in getattr(element, "default_css", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return links
