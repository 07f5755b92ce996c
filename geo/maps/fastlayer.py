"""A folium layer drawn from a compact payload (see `geo.maps.payload`) on a shared canvas.

`CompactLayer` stands where a `folium.GeoJson` would: it is an overlay in the layer control,
shows a name/type tooltip, reports clicks to streamlit-folium, and carries its attribution.
Its decoder is the app's own ``static/js/compact_layer.js``, loaded by streamlit-folium from
the app (never a CDN). The payload is either embedded in the map script or, better for big
layers, written once per layer version to ``static/cache/`` and fetched by the browser: the
map script then only carries a URL, so reruns never resend the geometry and the browser
caches the file.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile
from pathlib import Path

import folium
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
CACHE_DIR = "cache"


def _script_url() -> str:
    """The decoder's URL, versioned by content so browsers never run a stale copy."""
    digest = hashlib.sha256(SCRIPT_PATH.read_bytes()).hexdigest()[:10]
    return f"{STATIC_URL}js/compact_layer.js?v={digest}"


def payload_json(payload: dict) -> str:
    """Compact JSON, safe to embed in a script (no ``</script>``, no line separators)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_PAYLOAD_NAME = re.compile(r"^(?P<id>[a-z0-9-]+)-v(?P<version>[0-9]+)-t[0-9_]+-[0-9a-f]{12}\.json$")


def _safe_id(layer_id: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", layer_id.lower()).strip("-")[:60] or "layer"


def payload_file_name(layer_id: str, version: int, payload: dict, text: str) -> str:
    """``<id>-v<version>-t<tolerance>-<digest>.json``: new content never reuses a name."""
    safe_id = _safe_id(layer_id)
    tolerance = re.sub(r"[^0-9]", "_", f"{payload.get('tolerance', 0):g}")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"{safe_id}-v{int(version)}-t{tolerance}-{digest}.json"


def publish_payload(payload: dict, layer_id: str, version: int, static_dir: Path = STATIC_DIR) -> str:
    """Write the payload once into ``static/cache/`` (atomically); return its URL for the map.

    Cache the result per layer id and version: serialising a big payload takes a moment.
    """
    text = payload_json(payload)
    name = payload_file_name(layer_id, version, payload, text)
    target = Path(static_dir) / CACHE_DIR / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, target)  # atomic: a browser never reads half a file
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
    return f"{STATIC_URL}{CACHE_DIR}/{name}"


def payload_is_public(name: str, layers) -> bool:
    """Whether the payload file `name` belongs to the current version of a layer in `layers`
    (the store's live layers): payloads of layers in the trash, of replaced versions and
    anything else in the cache folder are not served (and can be removed)."""
    found = _PAYLOAD_NAME.fullmatch(name)
    if found is None:
        return False
    current = {_safe_id(info.id): info.version for info in layers}
    return current.get(found["id"]) == int(found["version"])


def remove_payload(name: str, static_dir: Path = STATIC_DIR) -> None:
    """Delete a payload file that is no longer public (only names this module writes)."""
    if _PAYLOAD_NAME.fullmatch(name):
        (Path(static_dir) / CACHE_DIR / name).unlink(missing_ok=True)


def _map_name(element) -> str:
    while element is not None and not isinstance(element, folium.Map):
        element = element._parent
    if element is None:
        raise ValueError("CompactLayer must be added to a folium.Map (or a layer on one)")
    return element.get_name()


class CompactLayer(JSCSSMixin, Layer):
    """An overlay drawn by ``compact_layer.js`` from a payload dict or a published payload URL.

    Args:
        payload: the dict from `geo.maps.payload.encode_layer` (embedded in the map script), or the
            URL string from `publish_payload` (fetched once by the browser).
        name: the layer's title as users typed it; it is HTML-escaped here.
        colours: category value (as in the payload, escaped) -> colour.
        base_colour: colour for features without a category colour, and municipal outlines.
        kind: the layer kind (``municipalities`` are drawn as outlined areas).
        show: switched on when the map opens.
        attribution: plain text, shown while the layer is on (escaped here).
        layer_id: reported with every click as property ``layer``.
        labels: tooltip labels, e.g. ``{"name": "Name", "type": "Typ"}`` in the UI language.
        cluster: Leaflet.markercluster options to cluster the points with (`geo.maps.cluster`),
            or None to draw every point.
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
        colours: dict[str, str] | None = None,
        base_colour: str = "#009E73",
        kind: str = "other",
        show: bool = True,
        attribution: str = "",
        layer_id: str = "",
        labels: dict[str, str] | None = None,
        cluster: dict | None = None,
    ) -> None:
        super().__init__(name=html.escape(name), overlay=True, control=True, show=show)
        self._name = "CompactLayer"
        self.default_js = [("compact_layer", _script_url())]
        if cluster:
            self.default_js.insert(0, ("markercluster", f"{STATIC_URL}vendor/{assets.CLUSTER_JS}"))
            self.default_css = [(name, f"{STATIC_URL}vendor/{name}") for name in assets.CLUSTER_CSS]
        self.source_js = json.dumps(payload) if isinstance(payload, str) else payload_json(payload)
        self.group_options = {"attribution": html.escape(attribution)} if attribution else {}
        self.js_options = {
            "layerId": layer_id,
            "kind": kind,
            "base": base_colour,
            "colours": colours or {},
            "labels": labels or {"name": "Name", "type": "Typ"},
            "show": show,
            "cluster": cluster,
        }

    def map_name(self) -> str:
        return _map_name(self._parent)
