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

# Hide every name whose box meets one placed before it (the order is the priority).
_PLACE_JS = """{% macro script(this, kwargs) %}
(function (group) {
    function place() {
        var shown = [];
        group.eachLayer(function (marker) {
            var el = marker.getElement();
            if (!el || !el.firstChild) { return; }
            el.style.visibility = "visible";
            var r = el.firstChild.getBoundingClientRect();
            var hit = shown.some(function (s) {
                return r.left < s.right && r.right > s.left && r.top < s.bottom && r.bottom > s.top;
            });
            if (hit) { el.style.visibility = "hidden"; } else { shown.push(r); }
        });
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
})({{ this._parent.get_name() }});
{% endmacro %}"""


class _PlaceNames(MacroElement):
    _template = Template(_PLACE_JS)


def name_labels(layer: MapLayer) -> folium.FeatureGroup | None:
    """The names of an area layer's features, largest area first (None without names).

    The layer's frame is already escaped for HTML (`geo.maps.display`)."""
    frame = layer.frame[layer.frame["name"].astype(str).str.len() > 0]
    if frame.empty:
        return None
    # relative sizes only, so degrees will do (no projection for a ranking)
    frame = frame.iloc[(-shapely.area(frame.geometry.values)).argsort(kind="stable")]
    group = folium.FeatureGroup(name=LABEL_CLASS, control=False)
    for name, point in zip(frame["name"], shapely.point_on_surface(frame.geometry.values), strict=True):
        icon = folium.DivIcon(html=f"<span>{name}</span>", class_name=LABEL_CLASS, icon_size=(0, 0))
        folium.Marker((point.y, point.x), icon=icon, interactive=False, pane="shadowPane").add_to(group)
    return group.add_child(_PlaceNames())


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
