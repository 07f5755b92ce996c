"""What a map needs on a projector: area names written on it, and a view fitted to the screen.

Names: an audience reads where things are without hovering. They lie under the point symbols
(Leaflet's shadow pane), above the areas; larger areas are placed first, and a name that would
overlap one already shown is hidden until zooming in makes room, so names never pile up. View: a
station without a view of its own shows its layers' extent as large as the screen allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template

if TYPE_CHECKING:
    from geo.maps.build import MapLayer

LABEL_CLASS = "sr-name"

# The names travel as one list, [name, lat, lon] by priority (10,997 Gemeinden: 0.4 MB, where one
# marker each was 5.7 MB); a name is put on the map only where it is in view and its box, measured
# in the labels' font, meets no name placed before it. Names are already escaped for HTML.
_PLACE_JS = """{% macro script(this, kwargs) %}
(function (group, labels) {
    var MAX = 400, font = null, ctx = document.createElement("canvas").getContext("2d");
    function icon(name) {
        return L.divIcon({html: "<span>" + name + "</span>", className: "{{ this.css }}", iconSize: [0, 0]});
    }
    function labelFont(map) {  // the font a label is drawn in, read once from a probe
        var probe = L.marker(map.getCenter(), {icon: icon("x"), interactive: false}).addTo(map);
        var style = getComputedStyle(probe.getElement().firstChild);
        font = {css: style.fontWeight + " " + style.fontSize + " " + style.fontFamily,
                height: parseFloat(style.fontSize) * 1.3};
        map.removeLayer(probe);
    }
    function place() {
        var map = group._map;
        if (!map) { return; }
        if (!font) { labelFont(map); ctx.font = font.css; }
        group.clearLayers();
        var size = map.getSize(), shown = [];
        for (var i = 0; i < labels.length && shown.length < MAX; i++) {
            var p = map.latLngToContainerPoint([labels[i][1], labels[i][2]]);
            if (p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y) { continue; }
            var w = ctx.measureText(labels[i][0]).width / 2 + 2, h = font.height / 2;
            var r = {left: p.x - w, right: p.x + w, top: p.y - h, bottom: p.y + h};
            var hit = shown.some(function (s) {
                return r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top;
            });
            if (hit) { continue; }
            shown.push(r);
            L.marker([labels[i][1], labels[i][2]], {icon: icon(labels[i][0]), interactive: false,
                                                    pane: "shadowPane"}).addTo(group);
        }
    }
    function watch() {
        if (group._map && !group._srPlaced) {
            group._srPlaced = true;
            group._map.on("zoomend moveend resize", place);
        }
        place();
    }
    group.on("add", watch);
    if (group._map) { watch(); }
})({{ this._parent.get_name() }}, {{ this.labels|tojson }});
{% endmacro %}"""


class _PlaceNames(MacroElement):
    _template = Template(_PLACE_JS)

    def __init__(self, labels: list[list], css: str) -> None:
        super().__init__()
        self.labels = labels
        self.css = css


def name_labels(layer: MapLayer) -> folium.FeatureGroup | None:
    """The names of an area layer's features, largest area first (None without names).

    The layer's frame is already escaped for HTML (`geo.maps.display`)."""
    frame = layer.frame[layer.frame["name"].astype(str).str.len() > 0]
    if frame.empty:
        return None
    # relative sizes only, so degrees will do (no projection for a ranking)
    frame = frame.iloc[(-shapely.area(frame.geometry.values)).argsort(kind="stable")]
    points = shapely.point_on_surface(frame.geometry.values)
    names = frame["name"].astype(str)
    labels = [[name, round(pt.y, 5), round(pt.x, 5)] for name, pt in zip(names, points, strict=True)]
    group = folium.FeatureGroup(name=LABEL_CLASS, control=False)
    return group.add_child(_PlaceNames(labels, LABEL_CLASS))


# After streamlit-folium's own setView of this run (it follows the layers' evaluation at once),
# and again whenever the frame changes size; a station's later group takes over the map.
_FIT_JS = """{% macro script(this, kwargs) %}
(function (group) {
    var bounds = L.latLngBounds({{ this.bounds|tojson }}), map = null;
    function fit() { if (map) { map.fitBounds(bounds, {padding: [24, 24], animate: false}); } }
    function start() {
        if (map || !group._map) { return; }
        map = group._map;
        map.on("resize", fit);
        setTimeout(fit, 0);
    }
    group.on("add", start);
    group.on("remove", function () { if (map) { map.off("resize", fit); map = null; } });
    start();
})({{ this._parent.get_name() }});
{% endmacro %}"""


class _FitToScreen(MacroElement):
    _template = Template(_FIT_JS)

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self.bounds = bounds


def fitted_view(bboxes: list[tuple[float, float, float, float]]) -> folium.FeatureGroup | None:
    """A group that fits the map to `bboxes` (lon/lat: minx, miny, maxx, maxy) on every screen."""
    if not bboxes:
        return None
    south, west = min(b[1] for b in bboxes), min(b[0] for b in bboxes)
    north, east = max(b[3] for b in bboxes), max(b[2] for b in bboxes)
    group = folium.FeatureGroup(name="sr-fit", control=False)
    return group.add_child(_FitToScreen([[south, west], [north, east]]))
