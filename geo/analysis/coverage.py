"""Coverage ("Erreichbarkeit"): which share of area and people lies within a distance of an offer.

Distances are straight lines in the metric CRS of `geo.analysis.indicators.metric_crs`. Each offer is
buffered by the distance (a 64-sided polygon inside the true circle, so areas are at most
0.2 % low) and all buffers are merged once. That union is cut into small pieces (as PostGIS
``ST_Subdivide`` does); an STRtree pairs pieces with the municipalities they touch, and
only those pairs are overlaid, vectorised. What remains of a municipality is its white
spot; covered area = area − white spot. Population-weighted shares assume people spread
evenly within a municipality: share of people = share of area.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.indicators import MunicipalityRoles, prepare_municipalities, prepare_offers
from geo.errors import GeoError

QUAD_SEGS = 16  # buffer segments per quarter circle: area 0.16 % below the true circle
MAX_PIECE_VERTICES = 256  # size of the pieces the covered area is cut into
MAX_ROUNDS = 8  # a municipality touching more pieces merges them before subtracting
_SNAP = 1e-9  # shares this close to 0 or 1 are float noise

Offers = gpd.GeoDataFrame | gpd.GeoSeries | Sequence[gpd.GeoDataFrame | gpd.GeoSeries]


class CoverageResult(NamedTuple):
    """Per-municipality table, district totals and white-spot polygons for one distance."""

    per_municipality: pd.DataFrame
    district: dict
    white_spots: gpd.GeoDataFrame


class WhatIfResult(NamedTuple):
    """Coverage before and after adding planned offers, and the change per municipality."""

    before: CoverageResult
    after: CoverageResult
    change: pd.DataFrame


def _check_distance(distance_m: object) -> float:
    try:
        d = float(distance_m)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        d = math.nan
    if not math.isfinite(d) or d <= 0:
        raise GeoError("err.analysis_bad_distance", distance=distance_m)
    return d


def _offer_geoms(offers: Offers, crs: str) -> np.ndarray:
    """All offers' geometries in `crs` as one array (a list of layers counts as one offer set)."""
    layers = [offers] if isinstance(offers, gpd.GeoDataFrame | gpd.GeoSeries) else list(offers)
    arrays = [prepare_offers(layer, crs).to_numpy() for layer in layers]
    return np.concatenate(arrays) if arrays else np.array([], dtype=object)


def _subdivide(geom: shapely.Geometry) -> np.ndarray:
    """Cut a large polygon into pieces of at most `MAX_PIECE_VERTICES`, halving boxes recursively."""
    pieces, stack = [], list(shapely.get_parts(geom))
    while stack:
        part = stack.pop()
        if shapely.get_num_coordinates(part) <= MAX_PIECE_VERTICES:
            pieces.extend(p for p in shapely.get_parts(part) if shapely.get_type_id(p) == 3)
            continue
        x0, y0, x1, y1 = part.bounds
        if x1 - x0 >= y1 - y0:
            halves = [(x0, y0, (x0 + x1) / 2, y1), ((x0 + x1) / 2, y0, x1, y1)]
        else:
            halves = [(x0, y0, x1, (y0 + y1) / 2), (x0, (y0 + y1) / 2, x1, y1)]
        stack.extend(shapely.clip_by_rect(part, *half) for half in halves)
    return np.array(pieces, dtype=object)


def _reach(munis: np.ndarray, offers: np.ndarray, d: float) -> shapely.Geometry:
    """The union of all offer buffers that can reach the municipalities (duplicate points once)."""
    x0, y0, x1, y1 = shapely.total_bounds(munis)
    offers = offers[shapely.dwithin(offers, shapely.box(x0, y0, x1, y1), d)]
    is_point = shapely.get_type_id(offers) == 0
    _, first = np.unique(shapely.get_coordinates(offers[is_point]), axis=0, return_index=True)
    offers = np.concatenate([offers[is_point][np.sort(first)], offers[~is_point]])
    return shapely.union_all(shapely.buffer(offers, d, quad_segs=QUAD_SEGS))


def _minus(white: np.ndarray, muni_idx: np.ndarray, pieces: np.ndarray) -> None:
    """Subtract each municipality's pieces from it, in place: round k takes every k-th piece at once.

    Municipalities with many pieces (big cities at small distances) merge them first instead.
    """
    order = np.argsort(muni_idx, kind="stable")
    muni_idx, pieces = muni_idx[order], pieces[order]
    groups, starts, sizes = np.unique(muni_idx, return_index=True, return_counts=True)
    for g, a, n in zip(
        groups[sizes > MAX_ROUNDS], starts[sizes > MAX_ROUNDS], sizes[sizes > MAX_ROUNDS], strict=True
    ):
        white[g] = shapely.difference(white[g], shapely.union_all(pieces[a : a + n]))
    small = np.repeat(sizes <= MAX_ROUNDS, sizes)
    rank = np.arange(len(muni_idx)) - np.repeat(starts, sizes)
    for k in range(min(MAX_ROUNDS, int(sizes.max(initial=0)))):
        sel = small & (rank == k)
        white[muni_idx[sel]] = shapely.difference(white[muni_idx[sel]], pieces[sel])


def _white(munis: np.ndarray, offers: np.ndarray, d: float) -> np.ndarray:
    """Each municipality minus everything within `d` of an offer (empty where fully covered).

    One union of all buffers, cut into small pieces; an STRtree pairs pieces with the
    municipalities they touch; municipalities inside one piece are covered, and only the
    remaining pairs are overlaid, in vectorised rounds.
    """
    white = munis.copy()
    if len(offers) == 0:
        return white
    pieces = _subdivide(_reach(munis, offers, d))
    muni_idx, piece_idx = shapely.STRtree(pieces).query(munis, predicate="intersects")
    full = np.zeros(len(munis), dtype=bool)
    full[muni_idx[shapely.within(munis[muni_idx], pieces[piece_idx])]] = True
    white[full] = shapely.Polygon()
    rest = ~full[muni_idx]
    _minus(white, muni_idx[rest], pieces[piece_idx[rest]])
    return white


def _white_spots(table: gpd.GeoDataFrame, white: np.ndarray, wanted: bool = True) -> gpd.GeoDataFrame:
    """The non-empty white spots, one (multi)polygon per municipality (no rows if not `wanted`)."""
    keep = (shapely.area(white) > 0) & wanted
    out = gpd.GeoDataFrame(
        {"key": table["key"].to_numpy()[keep], "name": table["name"].to_numpy()[keep]},
        geometry=white[keep],
        crs=table.crs,
    )
    out["white_km2"] = shapely.area(white[keep]) / 1e6
    return out.reset_index(drop=True)


def _district(frame: pd.DataFrame, distance_m: float, crs: str) -> dict:
    """District totals; population figures only over municipalities that have a population."""
    area, covered = float(frame["area_km2"].sum()), float(frame["covered_km2"].sum())
    has_pop = frame["population"].notna()
    population = float(frame.loc[has_pop, "population"].sum()) if has_pop.any() else None
    covered_pop = float(frame.loc[has_pop, "covered_population"].sum()) if has_pop.any() else None
    return {
        "distance_m": distance_m,
        "crs": crs,
        "area_km2": area,
        "covered_km2": covered,
        "white_km2": area - covered,
        "area_share": min(covered / area, 1.0) if area > 0 else math.nan,
        "population": population,
        "covered_population": covered_pop,
        "population_share": covered_pop / population if population else None,
        "municipalities": len(frame),
        "municipalities_without_population": int((~has_pop).sum()),
    }


def _coverage_prepared(
    table: gpd.GeoDataFrame, offers: Offers, d: float, white_spots: bool
) -> CoverageResult:
    crs = table.crs.to_string()
    geoms = table.geometry.to_numpy()
    white = _white(geoms, _offer_geoms(offers, crs), d)
    area = shapely.area(geoms)
    white_area = shapely.area(white)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(np.where(area > 0, 1.0 - white_area / area, np.nan), 0.0, 1.0)
    share = np.where(share >= 1.0 - _SNAP, 1.0, np.where(share <= _SNAP, 0.0, share))
    pop = table["population"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "key": table["key"].to_numpy(),
            "name": table["name"].to_numpy(),
            "population": pop,
            "area_km2": area / 1e6,
            "covered_km2": share * area / 1e6,
            "area_share": share,
            "covered_population": share * pop,
            "population_share": np.where(np.isnan(pop), np.nan, share),
        }
    )
    spots = _white_spots(table, white, white_spots)
    return CoverageResult(frame, _district(frame, d, crs), spots)


def coverage(
    munis: gpd.GeoDataFrame,
    offers: Offers,
    distance_m: float,
    roles: Mapping[str, str] | MunicipalityRoles,
    *,
    white_spots: bool = True,
) -> CoverageResult:
    """Share of area and population within `distance_m` (straight line) of any offer.

    `offers` is one layer or a list of layers taken together (e.g. all mobility). Per
    municipality: key, name, population, area_km2, covered_km2, area_share (0–1),
    covered_population and population_share (NaN where the municipality has no population).
    The district dict holds the same totals; its population figures are None when no
    municipality has a population. White spots are polygons in the metric CRS.
    """
    d = _check_distance(distance_m)
    return _coverage_prepared(prepare_municipalities(munis, roles), offers, d, white_spots)


def planned_points(lonlat: Iterable[tuple[float, float]]) -> gpd.GeoDataFrame:
    """Planned offers from map clicks, given as (longitude, latitude) in EPSG:4326."""
    pairs = [(float(lon), float(lat)) for lon, lat in lonlat]
    for lon, lat in pairs:
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise GeoError("err.analysis_bad_point", lon=lon, lat=lat)
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return gpd.GeoDataFrame({"planned": [True] * len(pairs)}, geometry=gpd.points_from_xy(xs, ys), crs=4326)


def what_if(
    munis: gpd.GeoDataFrame,
    offers: Offers,
    new_points: gpd.GeoDataFrame | gpd.GeoSeries,
    distance_m: float,
    roles: Mapping[str, str] | MunicipalityRoles,
) -> WhatIfResult:
    """Coverage with the existing offers and with `new_points` added (see `planned_points`).

    ``change`` per municipality: key, name, area_share_before/after and area_gain_km2.
    """
    d = _check_distance(distance_m)
    table = prepare_municipalities(munis, roles)
    layers = [offers] if isinstance(offers, gpd.GeoDataFrame | gpd.GeoSeries) else list(offers)
    before = _coverage_prepared(table, layers, d, True)
    after = _coverage_prepared(table, [*layers, new_points], d, True)
    b, a = before.per_municipality, after.per_municipality
    change = pd.DataFrame(
        {
            "key": b["key"],
            "name": b["name"],
            "area_share_before": b["area_share"],
            "area_share_after": a["area_share"],
            "area_gain_km2": a["covered_km2"] - b["covered_km2"],
            "population_gain": a["covered_population"] - b["covered_population"],
        }
    )
    return WhatIfResult(before, after, change)
