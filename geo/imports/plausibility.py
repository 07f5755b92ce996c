"""Plausibility of imported coordinates: points that land far from Germany for a reason we
can name.

Open-data CSVs sometimes label their coordinate columns the wrong way round (a bike-rental
export whose ``LATITUDE`` holds about 11° E). Read as labelled, every point lies in the Indian
Ocean; read the other way round, they lie in Germany. The importer says so in its report and
offers to read the file again with the columns swapped (`read_upload(..., swap_xy=True)`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.imports.report import ImportReport

# Germany with a margin (lon/lat): the district always lies inside.
GERMANY_BBOX = (5.5, 47.0, 15.5, 55.2)
FEW = 0.05  # at most this share inside Germany counts as "almost none"
MOST = 0.5  # at least this share inside once swapped makes the swap the likely reading


def swap_axes(geoms: np.ndarray) -> np.ndarray:
    """Geometries with x and y exchanged (what a file with swapped column names needs)."""
    return shapely.transform(geoms, lambda coords: coords[:, ::-1])


def share_in_germany(geoms: gpd.GeoSeries) -> float:
    """Share of the non-empty geometries whose representative point lies in `GERMANY_BBOX`."""
    geoms = geoms[~(geoms.isna() | geoms.is_empty)]
    if geoms.empty or geoms.crs is None:
        return 1.0  # nothing to judge
    points = geoms.to_crs("EPSG:4326").representative_point()
    minx, miny, maxx, maxy = GERMANY_BBOX
    inside = points.x.between(minx, maxx) & points.y.between(miny, maxy)
    return float(inside.mean())


def swapped_share(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    """(share in Germany as read, share in Germany with x and y exchanged)."""
    geoms = gdf.geometry
    swapped = gpd.GeoSeries(swap_axes(geoms.to_numpy()), crs=geoms.crs, index=geoms.index)
    try:
        return share_in_germany(geoms), share_in_germany(swapped)
    except (ValueError, shapely.errors.GEOSException):  # swapped values outside the CRS's range
        return share_in_germany(geoms), 0.0


def check_axes(gdf: gpd.GeoDataFrame, report: ImportReport, *, swapped: bool = False) -> bool:
    """Warn in `report` when almost no point lies in Germany but most would with x and y
    exchanged; returns whether the swap is offered. `swapped`: the caller already swapped."""
    if swapped:
        report.warn("warn.xy_swapped_done")
        return False
    as_read, other = swapped_share(gdf)
    if as_read > FEW or other < MOST:
        return False
    report.warn("warn.xy_swapped", share=round(other * 100))
    report.swap_offered = True
    return True
