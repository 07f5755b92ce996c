"""Clustering of large point layers (Leaflet.markercluster, served by the app).

A few hundred markers at district zoom bury the district; clustered, they show as counted
discs that open on zoom and are single markers again from `SPREAD_ZOOM` on. The clustering
takes over the markers a layer's `folium.GeoJson` made (symbols, tooltips, clicks stay as
they are), so the map page, the upload preview and the standalone download draw it alike.
"""

from __future__ import annotations

import geopandas as gpd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.maps import assets

CLUSTER_MIN = 300  # more points than this cluster
SPREAD_ZOOM = 15  # from this zoom on every point is drawn on its own (street level)
OPTIONS = {
    "disableClusteringAtZoom": SPREAD_ZOOM,
    "showCoverageOnHover": False,
    "spiderfyOnMaxZoom": False,
    "chunkedLoading": True,
    "animate": False,  # canvas circle markers have no opacity to fade
}


def needs_cluster(frame: gpd.GeoDataFrame, polygonal: bool) -> bool:
    """Point layers with more than `CLUSTER_MIN` features are clustered."""
    return not polygonal and len(frame) > CLUSTER_MIN


class ClusterPoints(JSCSSMixin, MacroElement):
    """Added to a `folium.GeoJson` of points: moves its markers into a cluster group in the
    GeoJson's feature group. Tooltips are bound per marker (the GeoJson itself never reaches
    the map once its markers are clustered), the attribution moves to the cluster group."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (gj, group) {
            function move() {
                var tip = gj.getTooltip(), content = tip && tip.getContent();
                var options = tip && L.extend({}, tip.options);
                if (tip) { gj.unbindTooltip(); }
                var cluster = L.markerClusterGroup({{ this.options|tojson }});
                cluster.options.attribution = gj.options.attribution;
                group.removeLayer(gj);
                gj.eachLayer(function (marker) { if (tip) { marker.bindTooltip(content, options); } });
                cluster.addLayers(gj.getLayers());
                group.addLayer(cluster);
            }
            if (group.hasLayer(gj)) { move(); return; }
            group.on("layeradd", function moveOnce(e) {  // folium adds the GeoJson after this script
                if (e.layer === gj) { group.off("layeradd", moveOnce); move(); }
            });
        })({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, asset_base: str) -> None:
        super().__init__()
        self._name = "ClusterPoints"
        self.options = OPTIONS
        self.default_js = [("markercluster", asset_base + assets.CLUSTER_JS)]
        self.default_css = [(name, asset_base + name) for name in assets.CLUSTER_CSS]
