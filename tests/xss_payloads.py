"""Script and formula payloads shared by the security tests (unit and browser)."""

from __future__ import annotations

import json

import geopandas as gpd
from shapely.geometry import Point

PAYLOADS = (
    "<img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=2</script>",
    '"><svg onload=window.__xss=3>',
    "'-alert(4)-'",
    "javascript:window.__xss=5",
    "[klick](javascript:window.__xss=6)",
    "{{7*7}}<b>fett</b>",
)
IMG = PAYLOADS[0]
POINT = {"type": "Point", "coordinates": [11.7, 51.8]}
GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": POINT}],
    }
).encode()


def hostile_frame() -> gpd.GeoDataFrame:
    """Every payload as name, category, an attribute value and a column name."""
    n = len(PAYLOADS)
    data = {"name": list(PAYLOADS), "typ": list(PAYLOADS), "link": ["javascript:window.__xss=8"] * n}
    data.update({p: ["x"] * n for p in PAYLOADS})
    return gpd.GeoDataFrame(data, geometry=[Point(11 + i / 10, 51.5) for i in range(n)], crs="EPSG:4326")
