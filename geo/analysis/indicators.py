"""Smart-region indicators: how well each municipality is supplied with offers.

Pure functions on GeoDataFrames; inputs are never modified. All measuring happens in a
metric CRS (ETRS89/UTM 32N or 33N, picked from the data), distances are straight lines.
The municipality layer's key, name and population columns come from its column roles, so
any municipality layer works, not only the demo. Coverage and white spots live in
`geo.analysis.coverage`, classed colours in `geo.analysis.classes`, table exports in `geo.analysis.tables`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from geo.errors import EmptyLayerError, GeoError, MissingCRSError
from geo.i18n import has_text, t

METRIC_CRSES = ("EPSG:25832", "EPSG:25833")
UTM_SPLIT_LON = 12.0  # east of 12° E, zone 33 distorts less than zone 32

# Offer kinds the pages use; any snake_case name works, these get translated labels.
OFFER_KINDS = ("coworking", "station", "bus_stop", "charging", "mobility", "events")
# Which mobility categories (role "category") belong to which offer kind.
MOBILITY_TYPES: dict[str, tuple[str, ...]] = {
    "station": ("bahnhof", "haltepunkt", "station", "train_station"),
    "bus_stop": ("bushaltestelle", "haltestelle", "bus_stop"),
    "charging": ("ladepunkt", "ladesaeule", "ladesäule", "charging", "charging_station"),
}
KIND_SUFFIXES = ("count", "per_10k", "per_km2", "nearest_km")
BASE_COLUMNS = ("key", "name", "population", "area_km2", "density")
MISSING_CATEGORY = "–"
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class MunicipalityRoles:
    """Columns of a municipality layer: key (AGS) required, name and population optional."""

    key: str
    name: str | None = None
    population: str | None = None

    @classmethod
    def of(cls, roles: Mapping[str, str] | MunicipalityRoles, layer: str = "") -> MunicipalityRoles:
        """From a layer's role dict (``LayerInfo.roles``); a missing key role is the user's to fix."""
        if isinstance(roles, MunicipalityRoles):
            return roles
        if not roles.get("key"):
            raise GeoError("err.analysis_role_missing", layer=layer or "Gemeinden", role="key")
        return cls(
            key=roles["key"], name=roles.get("name") or None, population=roles.get("population") or None
        )


def _label(gdf: gpd.GeoDataFrame | gpd.GeoSeries, default: str) -> str:
    """The layer's title for messages (pages may set ``gdf.attrs["title"]``)."""
    return str(gdf.attrs.get("title") or default)


def metric_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> str:
    """EPSG:25832 or EPSG:25833 for measuring: kept if the data uses one, else by longitude."""
    if gdf.crs is None:
        raise MissingCRSError("err.analysis_no_crs", layer=_label(gdf, "?"))
    epsg = gdf.crs.to_epsg()
    if epsg in (25832, 25833):
        return f"EPSG:{epsg}"
    minx, miny, maxx, maxy = gdf.total_bounds
    if not np.isfinite([minx, maxx]).all():
        return METRIC_CRSES[0]
    to_lonlat = Transformer.from_crs(gdf.crs, CRS.from_epsg(4326), always_xy=True)
    lon, _ = to_lonlat.transform((minx + maxx) / 2, (miny + maxy) / 2)
    return METRIC_CRSES[0] if lon < UTM_SPLIT_LON else METRIC_CRSES[1]


def _to_population(values: pd.Series) -> pd.Series:
    """Numbers from a population column; German text like "12.345" is read as 12345."""
    if not pd.api.types.is_numeric_dtype(values):
        text = values.astype("string").str.strip()
        thousands = text.str.fullmatch(r"\d{1,3}(\.\d{3})+").fillna(False).astype(bool)
        text = text.where(~thousands, text.str.replace(".", "", regex=False))
        values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(numbers >= 0)


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid polygons (VG5000 has a few) and keep only their polygon parts."""
    out = geoms.copy()
    bad = ~shapely.is_valid(out)
    for i in np.flatnonzero(bad):
        parts = shapely.get_parts(shapely.make_valid(out[i]))
        parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[i] = shapely.union_all(parts) if len(parts) else None
    return out


def _checked_polygons(munis: gpd.GeoDataFrame, r: MunicipalityRoles, layer: str) -> gpd.GeoDataFrame:
    """The polygon rows of `munis`, after checking role columns and CRS (user errors otherwise)."""
    for role, col in (("key", r.key), ("name", r.name), ("population", r.population)):
        if col is not None and col not in munis.columns:
            columns = ", ".join(str(c) for c in munis.columns if c != munis.geometry.name)
            raise GeoError("err.analysis_column_missing", layer=layer, role=role, column=col, columns=columns)
    if munis.crs is None:
        raise MissingCRSError("err.analysis_no_crs", layer=layer)
    gdf = munis[~(munis.geometry.isna() | munis.geometry.is_empty)]
    polygonal = gdf.geom_type.isin(["Polygon", "MultiPolygon"])
    if gdf.empty:
        raise EmptyLayerError("err.analysis_no_municipalities", layer=layer)
    if not polygonal.any():
        types = ", ".join(sorted(set(gdf.geom_type.dropna())))
        raise GeoError("err.analysis_not_polygons", layer=layer, geom_types=types)
    return gdf[polygonal]


def prepare_municipalities(
    munis: gpd.GeoDataFrame, roles: Mapping[str, str] | MunicipalityRoles, crs: str | None = None
) -> gpd.GeoDataFrame:
    """Key, name, population and repaired polygons in a metric CRS, one row per key.

    Rows without geometry and non-polygon rows are left out; invalid polygons are repaired
    with ``make_valid``; rows sharing a key (VG250 lists water parts separately) are merged,
    keeping the largest population. `crs` defaults to `metric_crs(munis)`.
    """
    layer = _label(munis, "Gemeinden")
    r = MunicipalityRoles.of(roles, layer)
    gdf = _checked_polygons(munis, r, layer)
    crs = crs or metric_crs(gdf)
    gdf = gdf.to_crs(crs)
    keys = gdf[r.key].astype("string").str.strip()
    missing = keys.isna() | (keys == "")
    if missing.any():
        raise GeoError("err.analysis_empty_key", layer=layer, column=r.key, n=int(missing.sum()))
    out = gpd.GeoDataFrame(
        {
            "key": keys.to_numpy(dtype=object),
            "name": (gdf[r.name].astype("string").fillna("") if r.name else keys).to_numpy(dtype=object),
            "population": _to_population(gdf[r.population]).to_numpy() if r.population else np.nan,
        },
        geometry=_polygonal(gdf.geometry.to_numpy()),
        crs=crs,
    )
    out = out[out.geometry.notna()]
    if out["key"].duplicated().any():
        out = out.dissolve(by="key", aggfunc={"name": "first", "population": "max"}, sort=False).reset_index()
    return out.reset_index(drop=True)


def prepare_offers(offers: gpd.GeoDataFrame | gpd.GeoSeries, crs: str, label: str = "") -> gpd.GeoSeries:
    """The offers' geometries in `crs`, without null or empty ones (index kept)."""
    geoms = offers.geometry if isinstance(offers, gpd.GeoDataFrame) else offers
    geoms = geoms[~(geoms.isna() | geoms.is_empty)]
    if geoms.empty:
        return gpd.GeoSeries([], crs=crs)
    if geoms.crs is None:
        raise MissingCRSError("err.analysis_no_crs", layer=label or _label(offers, "?"))
    return geoms.to_crs(crs)


def split_offers(
    mobility: gpd.GeoDataFrame,
    category_col: str | None,
    types: Mapping[str, tuple[str, ...]] = MOBILITY_TYPES,
) -> dict[str, gpd.GeoDataFrame]:
    """Mobility offers per kind (station, bus stop, charging) by their category, plus all of them."""
    out: dict[str, gpd.GeoDataFrame] = {}
    if category_col and category_col in mobility.columns:
        cats = mobility[category_col].astype("string").str.strip().str.lower()
        for kind, values in types.items():
            out[kind] = mobility[cats.isin(values).fillna(False).astype(bool)]
    out["mobility"] = mobility
    return out


def centre_points(geoms: np.ndarray) -> np.ndarray:
    """Each municipality's centre: its centroid, or a point on its surface if the centroid lies outside."""
    centroids = shapely.centroid(geoms)
    inside = shapely.within(centroids, geoms)
    return np.where(inside, centroids, shapely.point_on_surface(geoms))


def _owner(muni_geoms: np.ndarray, offer_geoms: np.ndarray) -> np.ndarray:
    """Index of the municipality holding each offer, -1 if none; border points go to one only."""
    owner = np.full(len(offer_geoms), -1, dtype=np.int64)
    if len(offer_geoms) == 0 or len(muni_geoms) == 0:
        return owner
    points = np.where(
        shapely.get_type_id(offer_geoms) == 0, offer_geoms, shapely.point_on_surface(offer_geoms)
    )
    muni_idx, point_idx = shapely.STRtree(points).query(muni_geoms, predicate="intersects")
    order = np.lexsort((muni_idx, point_idx))
    point_idx, muni_idx = point_idx[order], muni_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    owner[point_idx[first]] = muni_idx[first]
    return owner


def _nearest_km(centres: np.ndarray, offer_geoms: np.ndarray) -> np.ndarray:
    """Straight-line distance in km from each centre to the nearest offer (NaN without offers)."""
    dist = np.full(len(centres), np.nan)
    if len(offer_geoms) == 0:
        return dist
    (src, _), d = shapely.STRtree(offer_geoms).query_nearest(centres, all_matches=False, return_distance=True)
    dist[src] = d / 1000.0
    return dist


def count_in_municipalities(
    munis: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    roles: Mapping[str, str] | MunicipalityRoles,
    by: str | None = None,
) -> pd.DataFrame:
    """Offers per municipality (index: key), one "count" column or one column per category of `by`.

    Non-point offers count at a point on their surface; an offer on a shared border counts once.
    """
    prepared = prepare_municipalities(munis, roles)
    points = points.reset_index(drop=True)
    geoms = prepare_offers(points, prepared.crs.to_string(), _label(points, "?"))
    owner = _owner(prepared.geometry.to_numpy(), geoms.to_numpy())
    keys = pd.Index(prepared["key"], name="key")
    if by is None:
        counts = np.bincount(owner[owner >= 0], minlength=len(prepared))
        return pd.DataFrame({"count": counts}, index=keys)
    if by not in points.columns:
        raise GeoError(
            "err.analysis_column_missing",
            layer=_label(points, "?"),
            role="category",
            column=by,
            columns=", ".join(str(c) for c in points.columns),
        )
    cats = points.loc[geoms.index, by].astype("string").fillna(MISSING_CATEGORY).to_numpy(dtype=object)
    inside = owner >= 0
    long = pd.DataFrame({"key": prepared["key"].to_numpy()[owner[inside]], "category": cats[inside]})
    wide = pd.crosstab(long["key"], long["category"]) if len(long) else pd.DataFrame(index=keys)
    wide = wide.reindex(keys, fill_value=0).astype(int)
    wide.columns.name = None
    return wide


def indicators(
    munis: gpd.GeoDataFrame,
    offers: Mapping[str, gpd.GeoDataFrame],
    roles: Mapping[str, str] | MunicipalityRoles,
) -> gpd.GeoDataFrame:
    """One row per municipality with area, density and, per offer kind, four indicators.

    Columns: key, name, population, area_km2, density (inhabitants per km²), and for each
    kind ``<kind>_count``, ``_per_10k`` (NaN without population), ``_per_km2`` and
    ``_nearest_km`` (straight line from the centre, see `centre_points`). Geometry stays in
    the metric CRS used for measuring.
    """
    for kind in offers:
        if not _KIND_RE.match(kind):
            raise ValueError(f"offer kind {kind!r} must be snake_case (it becomes a column name)")
    table = prepare_municipalities(munis, roles)
    crs = table.crs.to_string()
    geoms = table.geometry.to_numpy()
    centres = centre_points(geoms)
    area = shapely.area(geoms) / 1e6
    pop = table["population"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["area_km2"] = area
        table["density"] = np.where(area > 0, pop / area, np.nan)
        for kind, gdf in offers.items():
            offer_geoms = prepare_offers(gdf, crs, kind).to_numpy()
            owner = _owner(geoms, offer_geoms)
            count = np.bincount(owner[owner >= 0], minlength=len(table))
            table[f"{kind}_count"] = count
            table[f"{kind}_per_10k"] = np.where(pop > 0, count / pop * 1e4, np.nan)
            table[f"{kind}_per_km2"] = np.where(area > 0, count / area, np.nan)
            table[f"{kind}_nearest_km"] = _nearest_km(centres, offer_geoms)
    return table[[c for c in table.columns if c != "geometry"] + ["geometry"]]


def indicator_columns(table: pd.DataFrame) -> list[str]:
    """The numeric indicator columns of an `indicators` table (everything but key, name, geometry)."""
    skip = {"key", "name", "geometry"}
    return [c for c in table.columns if c not in skip and pd.api.types.is_numeric_dtype(table[c])]


def offer_kinds(table: pd.DataFrame) -> list[str]:
    """The offer kinds an `indicators` table holds, in column order."""
    return [c.removesuffix("_count") for c in table.columns if str(c).endswith("_count")]


def district_summary(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Average and median over the municipalities, per indicator; NaN values are skipped.

    ``district`` is the value for the district as a whole where that differs in meaning from
    the average (sums of counts, population and area; rates from the totals).
    """
    out: dict[str, dict[str, float]] = {}
    pop_total = table["population"].sum(min_count=1) if "population" in table else np.nan
    area_total = table["area_km2"].sum() if "area_km2" in table else np.nan
    for col in indicator_columns(table):
        values = table[col].astype(float)
        out[col] = {"mean": float(values.mean()), "median": float(values.median()), "district": np.nan}
        if col in ("population", "area_km2") or col.endswith("_count"):
            out[col]["district"] = float(values.sum(min_count=1))
    for kind in offer_kinds(table):
        total = float(table[f"{kind}_count"].sum())
        out[f"{kind}_per_10k"]["district"] = total / pop_total * 1e4 if pop_total > 0 else np.nan
        out[f"{kind}_per_km2"]["district"] = total / area_total if area_total > 0 else np.nan
    if "density" in out:
        out["density"]["district"] = pop_total / area_total if area_total > 0 else np.nan
    return out


def _row(table: pd.DataFrame, key: str) -> pd.Series:
    hits = table.index[table["key"] == str(key)]
    if len(hits) == 0:
        raise GeoError("err.analysis_unknown_municipality", municipality=key)
    return table.loc[hits[0]]


def profile(table: pd.DataFrame, key: str, summary: dict | None = None) -> dict:
    """One municipality's values beside the district's average and median.

    Returns key, name, population, area_km2, density, ``comparison`` (DataFrame: index =
    indicator column, columns value/mean/median) and ``counts`` (index = offer kind, same
    columns) for the bar chart.
    """
    row = _row(table, key)
    summary = summary or district_summary(table)
    cols = indicator_columns(table)
    comparison = pd.DataFrame(
        {
            "value": [float(row[c]) for c in cols],
            "mean": [summary[c]["mean"] for c in cols],
            "median": [summary[c]["median"] for c in cols],
        },
        index=pd.Index(cols, name="indicator"),
    )
    kinds = offer_kinds(table)
    counts = comparison.loc[[f"{k}_count" for k in kinds]].set_axis(pd.Index(kinds, name="kind"))
    info = {c: (float(row[c]) if c in cols else row[c]) for c in BASE_COLUMNS if c in table.columns}
    return {**info, "comparison": comparison, "counts": counts}


def nearest_offer(
    table: gpd.GeoDataFrame, key: str, offers: gpd.GeoDataFrame, name_col: str | None = None
) -> dict | None:
    """The offer nearest to a municipality's centre: name, distance_km and lon/lat (for the map).

    `table` is an `indicators` table (or `prepare_municipalities` output); None without offers.
    """
    row = _row(table, key)
    offers = offers.reset_index(drop=True)
    geoms = prepare_offers(offers, table.crs.to_string(), _label(offers, "?"))
    if geoms.empty:
        return None
    centre = centre_points(np.array([row.geometry]))[0]
    tree = shapely.STRtree(geoms.to_numpy())
    (_, [hit]), [dist] = tree.query_nearest([centre], all_matches=False, return_distance=True)
    spot = gpd.GeoSeries([geoms.iloc[hit], centre], crs=table.crs).to_crs(4326)
    name = offers.loc[geoms.index[hit], name_col] if name_col and name_col in offers.columns else None
    return {
        "name": None if pd.isna(name) else str(name),
        "distance_km": float(dist) / 1000.0,
        "lon": float(spot.iloc[0].representative_point().x),
        "lat": float(spot.iloc[0].representative_point().y),
        "centre_lon": float(spot.iloc[1].x),
        "centre_lat": float(spot.iloc[1].y),
    }


def indicator_label(column: str, lang: str = "de") -> str:
    """A readable, translated label for a table column, e.g. "station_per_10k"."""
    if has_text(f"ind.{column}"):
        return t(f"ind.{column}", lang)
    for suffix in KIND_SUFFIXES:
        if column.endswith(f"_{suffix}"):
            kind = column.removesuffix(f"_{suffix}")
            return t(f"ind.{suffix}", lang, kind=kind_label(kind, lang))
    return column


def kind_label(kind: str, lang: str = "de") -> str:
    """Translated name of an offer kind; unknown kinds show as they are."""
    return t(f"offer.{kind}", lang) if has_text(f"offer.{kind}") else kind
