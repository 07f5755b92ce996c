"""Folium layers for big layers: compact payloads and vector tiles, drawn on canvas.

`CompactLayer` and `VectorTileLayer` stand where a `folium.GeoJson` would: an overlay in the
layer control with a name/type tooltip, clicks reported to streamlit-folium (``.feature`` /
``toGeoJSON()`` with ``layer`` and ``fid``), a highlight of the clicked feature, and the
layer's attribution. ``static/js/compact_layer.js`` decodes compact payloads (`geo.maps.payload`:
embedded in the map script, or a file of `geo.maps.tilecache` fetched once per version);
``static/js/tile_layer.js`` draws PMTiles vector tiles served by the app (`webui.map_cache`)
with the vendored Leaflet.VectorGrid. Nothing comes from a CDN.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass

import folium
import numpy as np
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo.config import REPO_ROOT
from geo.maps import assets

STATIC_DIR = REPO_ROOT / "static"
# Relative to streamlit-folium's component frame (/component/<name>/index.html), like
# `geo.maps.build.ASSET_BASE` (= STATIC_URL + "vendor/"), so it also works below a proxy's base path.
STATIC_URL = "../../app/static/"
SCRIPT_PATH = STATIC_DIR / "js" / "compact_layer.js"
TILE_SCRIPT_PATH = STATIC_DIR / "js" / "tile_layer.js"
VECTORGRID_JS = "vectorgrid/Leaflet.VectorGrid.bundled.min.js"  # pinned in the repository


def _tile_scripts() -> list[tuple[str, str]]:
    """The scripts a vector tile layer needs (compact_layer.js: its helpers)."""
    return [
        ("vectorgrid", f"{STATIC_URL}vendor/{VECTORGRID_JS}"),
        ("compact_layer", _script_url()),
        ("tile_layer", _script_url(TILE_SCRIPT_PATH)),
    ]


def _script_url(path=SCRIPT_PATH) -> str:
    """A script's URL, versioned by content so browsers never run a stale copy."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"{STATIC_URL}js/{path.name}?v={digest}"


def payload_json(payload: dict) -> str:
    """Compact JSON, safe to embed in a script (no ``</script>``, no line separators)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _map_name(element) -> str:
    while element is not None and not isinstance(element, folium.Map):
        element = element._parent
    if element is None:
        raise ValueError("CompactLayer must be added to a folium.Map (or a layer on one)")
    return element.get_name()


@dataclass(frozen=True)
class TileSource:
    """A layer's vector tiles for the map: the URL template (``…/{z}/{x}/{y}.pbf``), the deepest
    zoom the set holds (deeper zooms scale those tiles), and the fids to draw (None: all)."""

    url: str
    max_zoom: int
    family: str = "polygons"  # or "lines": a tile set holds one of them
    keep: np.ndarray | None = None  # boolean mask indexed by fid


def _keep_bits(keep: np.ndarray | None) -> str | None:
    """A fid mask as base64 bits (little bit order): 11,000 features in 1.9 kB of script."""
    if keep is None:
        return None
    return base64.b64encode(np.packbits(np.asarray(keep, dtype=bool), bitorder="little").tobytes()).decode()


class _CanvasLayer(JSCSSMixin, Layer):
    """What both big-layer kinds share: overlay, escaped title and attribution, options.

    Args:
        name: the layer's title as users typed it; it is HTML-escaped here.
        colours: category value (as in the data, escaped) -> colour.
        base_colour: colour for features without a category colour, and municipal outlines.
        kind: the layer kind (``municipalities`` are drawn as outlined areas).
        show: switched on when the map opens.
        attribution: plain text, shown while the layer is on (escaped here).
        layer_id: reported with every click as property ``layer``.
        labels: tooltip labels, e.g. ``{"name": "Name", "type": "Typ"}`` in the UI language.
    """

    def __init__(
        self,
        name: str,
        colours: dict[str, str] | None = None,
        base_colour: str = "#009E73",
        kind: str = "other",
        show: bool = True,
        attribution: str = "",
        layer_id: str = "",
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__(name=html.escape(name), overlay=True, control=True, show=show)
        self.group_options = {"attribution": html.escape(attribution)} if attribution else {}
        self.js_options = {
            "layerId": layer_id,
            "kind": kind,
            "base": base_colour,
            "colours": colours or {},
            "labels": labels or {"name": "Name", "type": "Typ"},
            "show": show,
        }

    def map_name(self) -> str:
        return _map_name(self._parent)


class CompactLayer(_CanvasLayer):
    """An overlay drawn by ``compact_layer.js`` from a payload dict or a payload file's URL.

    Args:
        payload: the dict from `geo.maps.payload.encode_layer` (embedded in the map script), or the
            URL string of its file (`geo.maps.tilecache.publish_text`; fetched once by the browser).
        cluster: Leaflet.markercluster options to cluster the points with (`geo.maps.cluster`),
            or None to draw every point.
        tiles_next: the layer's vector tiles are being cut: the map loads their scripts now, since
            streamlit-folium loads scripts only on a map's first render and a later run of the
            same session draws the layer from its tiles (`VectorTileLayer`).
        further arguments: see `_CanvasLayer`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup([], {{ this.group_options|tojson }});
        CompactLayer.add({{ this.map_name() }}, {{ this.get_name() }}, {{ this.source_js }},
            {{ this.js_options|tojson }});
        {% endmacro %}"""
    )

    def __init__(
        self,
        payload: dict | str,
        name: str,
        *args,
        cluster: dict | None = None,
        tiles_next: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(name, *args, **kwargs)
        self._name = "CompactLayer"
        self.default_js = _tile_scripts() if tiles_next else [("compact_layer", _script_url())]
        if cluster:
            self.default_js.insert(0, ("markercluster", f"{STATIC_URL}vendor/{assets.CLUSTER_JS}"))
            self.default_css = [(name, f"{STATIC_URL}vendor/{name}") for name in assets.CLUSTER_CSS]
        self.source_js = json.dumps(payload) if isinstance(payload, str) else payload_json(payload)
        self.js_options["cluster"] = cluster


class VectorTileLayer(_CanvasLayer):
    """An overlay of vector tiles (`TileSource`) drawn by ``tile_layer.js`` on canvas tiles.

    Features a filter leaves out are not drawn (``keep``); the style, tooltip, click and
    highlight follow ``compact_layer.js``, whose helpers it uses. `choropleth` fills each
    feature by class instead (`geo.analysis.choropleth.choropleth_tiles`). Further arguments: see
    `_CanvasLayer`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup([], {{ this.group_options|tojson }});
        TileLayer.add({{ this.map_name() }}, {{ this.get_name() }}, {{ this.url|tojson }},
            {{ this.js_options|tojson }});
        {% endmacro %}"""
    )

    def __init__(
        self, source: TileSource, name: str, *args, choropleth: dict | None = None, **kwargs
    ) -> None:
        super().__init__(name, *args, **kwargs)
        self._name = "VectorTileLayer"
        self.default_js = _tile_scripts()
        self.url = source.url
        self.js_options |= {
            "maxZoom": source.max_zoom,
            "family": source.family,
            "keep": _keep_bits(source.keep),
            "choropleth": choropleth,
        }
