"""GTFS timetables as a stops layer: how well each place is served by public transport.

A planner uploads a GTFS feed (zip; `read_upload` routes it here) and gets one point per
place where people board, with ``routes`` (distinct routes calling there) and
``departures_mo`` … ``departures_so`` (departures per weekday of a reference week), plus
``route_names``, ``route_types`` and ``reference_week``. The rules, so numbers can be checked:

- **Places.** A station (``location_type`` 1) is one place: its platforms and stopping points
  (type 0 with the station as ``parent_station``, and their boarding areas, type 4) are
  counted there and not listed on their own. A stop without a station is its own place.
  Entrances and pathway nodes (types 2, 3) are not places. Places without coordinates are
  dropped and reported.
- **Routes** count every route with a trip calling at the place on any day of the feed,
  boarding or only alighting.
- **Departures** count the calls where people can board: not a trip's last stop, and not
  ``pickup_type`` 1. A trip listed in ``frequencies.txt`` counts once per run.
- **Reference week**: see `geo.imports.gtfs.calendar` (the busiest of the first full weeks, with
  ``calendar_dates.txt`` exceptions applied). Trips after midnight (times ≥ 24:00) belong to
  the service day they start on. The report names the week.
- **Type.** ``typ`` is "bahnhof" when a rail route (route_type 0–2, 5, 7, 12 or the extended
  rail, metro, tram and funicular ranges) calls there, "faehre" when only ferries do, else
  "bushaltestelle".
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import Settings, load_settings
from geo.errors import EmptyLayerError, GeoError, TooLargeError, UnreadableFileError
from geo.imports.archives import extract_zip
from geo.imports.cleaning import clean_attributes, clean_geometries
from geo.imports.gtfs.calendar import reference_week
from geo.imports.gtfs.feed import (
    STOP_COLUMNS,
    TABLES,
    Feed,
    bad_values,
    numbers,
    read_feed,
    read_table,
    seconds,
)
from geo.imports.report import ImportedLayer, ImportReport

SOURCE = "gtfs"  # the importer's marker for "this archive is a GTFS feed"
WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
DEPARTURE_COLUMNS = tuple(f"departures_{d}" for d in WEEKDAYS)
MAX_NAMES_CHARS = 200
_RAIL = {0, 1, 2, 5, 7, 12}
_MODE_NAMES = {
    0: "Straßenbahn",
    1: "U-Bahn",
    2: "Bahn",
    3: "Bus",
    4: "Fähre",
    5: "Kabelstraßenbahn",
    6: "Seilbahn",
    7: "Standseilbahn",
    11: "Oberleitungsbus",
    12: "Einschienenbahn",
    715: "Rufbus",
}
# extended route types (Google's HVT list) → the basic type they belong to
_RANGES = ((100, 199, 2), (200, 299, 3), (400, 499, 1), (700, 799, 3), (900, 999, 0), (1000, 1299, 4),
           (1300, 1399, 6), (1400, 1499, 7), (1500, 1599, 3))  # fmt: skip
LAYER_ROLES = {"name": "stop_name", "category": "typ", "key": "stop_id"}


def feed_root(paths: list[Path], root: Path, *, other_data: bool = False) -> Path | None:
    """The folder (`root` or one folder down) holding a GTFS feed among `paths`, or None.

    A folder with ``stops.txt`` and ``stop_times.txt`` is a feed. A folder with only some GTFS
    tables counts too when the archive holds no other geodata, so that an incomplete feed
    gets a GTFS message instead of "no geodata found".
    """
    found: dict[Path, set[str]] = {}
    for path in paths:
        if len(path.relative_to(root).parts) <= 2 and path.name.lower() in TABLES:
            found.setdefault(path.parent, set()).add(path.name.lower())
    complete = [d for d, names in found.items() if {"stops.txt", "stop_times.txt"} <= names]
    if complete:
        return min(complete, key=lambda d: len(d.parts))
    if found and not other_data:
        return max(found, key=lambda d: len(found[d]))
    return None


def read_gtfs(filename: str, data: bytes | Path, *, settings: Settings | None = None) -> ImportedLayer:
    """The stops layer of the GTFS zip `data` (bytes or a path) named `filename`."""
    settings = settings or load_settings()
    display = Path(str(filename).replace("\\", "/")).name or "feed.zip"
    path = Path(data) if isinstance(data, (str, Path)) else None
    if path is not None and not path.is_file():
        raise GeoError("err.file_not_found", name=display)
    size = path.stat().st_size if path is not None else len(data)
    if size > settings.max_upload_mb * 1024 * 1024:
        mb = round(size / 2**20, 1)
        raise TooLargeError("err.too_large", name=display, size_mb=mb, limit_mb=settings.max_upload_mb)
    with tempfile.TemporaryDirectory(prefix="geo-gtfs-") as tmp:
        if path is None:
            path = Path(tmp) / "feed.zip"
            path.write_bytes(bytes(data))
        unpacked = Path(tmp) / "unzipped"
        unpacked.mkdir()
        root = feed_root(extract_zip(path, unpacked, display, settings), unpacked)
        if root is None:
            raise UnreadableFileError("err.gtfs_missing_file", name=display, file="stops.txt")
        return stops_layer(root, display, Path(display).stem or "gtfs")


def stops_layer(folder: Path, display: str, stem: str) -> ImportedLayer:
    """Read the feed in `folder` and build its stops layer with the import report."""
    feed = read_feed(folder, display)
    report = ImportReport(source_file=display, layer_name=stem, features_read=len(feed.stops))
    gdf = clean_attributes(clean_geometries(build_stops(feed, report), report), report)
    report.source_crs = "EPSG:4326"
    report.features_stored = len(gdf)
    suggestion = {
        "title": f"Haltestellen {stem}",
        "kind": "mobility",
        "attribution": feed.attribution,
        "roles": dict(LAYER_ROLES),
    }
    return ImportedLayer(name=stem, gdf=gdf, report=report, suggestion=suggestion)


def list_entry(folder: Path, display: str, stem: str) -> dict:
    """The feed as the import preview lists it: one point layer and its number of places."""
    places, _ = _places(read_table(folder, "stops.txt", display, ("stop_id",), STOP_COLUMNS), display)
    located = int((places["lat"].notna() & places["lon"].notna()).sum())
    return {"name": stem, "geometry_type": "Point", "features": located, "spatial": True}


def _places(stops: pd.DataFrame, feed: str) -> tuple[pd.DataFrame, pd.Series]:
    """Places with coordinates (NaN where missing), and stop_id → place id for every stop."""
    stops = stops.drop_duplicates("stop_id")
    kind = numbers(stops, "location_type", "stops.txt", feed, default=0)
    stations = set(stops.loc[kind == 1, "stop_id"])
    child = (kind == 0) & stops["parent_station"].isin(stations)
    place = stops["stop_id"].where(~child, stops["parent_station"])
    by_id = pd.Series(place.to_numpy(), index=stops["stop_id"].to_numpy())
    place = place.where(kind != 4, stops["parent_station"].map(by_id))  # boarding area → its platform's
    place_of = pd.Series(place.to_numpy(), index=stops["stop_id"].to_numpy()).dropna()
    places = stops[kind.isin([0, 1]) & ~child]
    lat, lon = _coordinate(places, "stop_lat", 90, feed), _coordinate(places, "stop_lon", 180, feed)
    out = pd.DataFrame(
        {"stop_id": places["stop_id"], "stop_name": places["stop_name"], "lat": lat, "lon": lon}
    )
    out.attrs["merged"], out.attrs["skipped_nodes"] = int(child.sum()), int((~kind.isin([0, 1])).sum())
    return out.reset_index(drop=True), place_of


def _coordinate(places: pd.DataFrame, col: str, limit: float, feed: str) -> pd.Series:
    """Decimal degrees; empty is missing (dropped later), text or out of range is an error."""
    values = pd.to_numeric(places[col].replace("", np.nan), errors="coerce")
    bad = (values.isna() & (places[col] != "")) | (values.abs() > limit)
    if bad.any():
        raise bad_values(feed, "stops.txt", col, places.loc[bad, col], f"-{limit:g} … {limit:g}")
    return values


def _runs(feed: Feed, trip_ids: pd.Series) -> pd.Series:
    """How often each trip runs per service day: 1, or its number of runs in frequencies.txt."""
    runs = pd.Series(1.0, index=trip_ids.unique())
    freqs = feed.frequencies
    if freqs is None or freqs.empty:
        return runs
    start = seconds(freqs, "start_time", "frequencies.txt", feed.name)
    end = seconds(freqs, "end_time", "frequencies.txt", feed.name)
    headway = numbers(freqs, "headway_secs", "frequencies.txt", feed.name)
    per_row = np.ceil((end - start).clip(lower=0) / headway.where(headway > 0)).fillna(0)
    per_trip = per_row.groupby(freqs["trip_id"]).sum()
    listed = runs.index.intersection(per_trip.index)
    runs.loc[listed] = per_trip.reindex(listed).to_numpy()
    return runs


def _calls(feed: Feed, place_of: pd.Series) -> tuple[pd.DataFrame, int]:
    """stop_times with place, route, service and boarding weight; and the unusable rows."""
    st = feed.stop_times
    seq = numbers(st, "stop_sequence", "stop_times.txt", feed.name)
    trips = feed.trips.drop_duplicates("trip_id").set_index("trip_id")
    calls = pd.DataFrame(
        {
            "place": st["stop_id"].map(place_of),
            "route_id": st["trip_id"].map(trips["route_id"]),
            "service_id": st["trip_id"].map(trips["service_id"]),
            "trip_id": st["trip_id"],
        }
    )
    last = seq.groupby(st["trip_id"]).transform("max")
    calls["boards"] = ((seq < last) & (st["pickup_type"] != "1")).astype(float)
    usable = calls["place"].notna() & calls["route_id"].notna()
    calls = calls[usable]
    calls["boards"] *= calls["trip_id"].map(_runs(feed, calls["trip_id"])).to_numpy(dtype=float)
    return calls, int((~usable).sum())


def _basic_type(route_type: float) -> int | None:
    """The basic route type (0–12) of a basic or extended GTFS route type."""
    if pd.isna(route_type):
        return None
    value = int(route_type)
    return next((basic for lo, hi, basic in _RANGES if lo <= value <= hi), value)


def _mode_name(route_type: float) -> str:
    if pd.isna(route_type):
        return "Bus"
    return _MODE_NAMES.get(int(route_type)) or _MODE_NAMES.get(_basic_type(route_type), "Bus")


def _route_summary(calls: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    """Per place: number of routes, their names and modes, and the stop type."""
    routes = routes.drop_duplicates("route_id").set_index("route_id")
    label = routes["route_short_name"].where(routes["route_short_name"] != "", routes["route_long_name"])
    pairs = calls[["place", "route_id"]].drop_duplicates()
    if pairs.empty:  # no trip calls anywhere: every place gets 0 routes and the default type
        return pd.DataFrame(columns=["routes", "route_names", "route_types", "typ"], dtype=object)
    pairs["label"] = pairs["route_id"].map(label).fillna("").where(lambda s: s != "", pairs["route_id"])
    pairs["type"] = pairs["route_id"].map(pd.to_numeric(routes["route_type"], errors="coerce"))
    basic = pairs["type"].map(_basic_type)
    pairs["mode_name"], pairs["rail"], pairs["ferry"] = (
        pairs["type"].map(_mode_name),
        basic.isin(_RAIL),
        basic == 4,
    )
    grouped = pairs.groupby("place")
    out = pd.DataFrame({"routes": grouped["route_id"].nunique()})
    out["route_names"] = grouped["label"].agg(_join_names)
    out["route_types"] = grouped["mode_name"].agg(lambda s: ", ".join(sorted(set(s))))
    ferry_only = grouped["ferry"].all()
    out["typ"] = np.where(grouped["rail"].any(), "bahnhof", np.where(ferry_only, "faehre", "bushaltestelle"))
    return out


def _join_names(names: pd.Series) -> str:
    """Route names, short ones first ("1, 2, 10, RE 24"), cut at `MAX_NAMES_CHARS`."""
    text = ", ".join(sorted(set(names), key=lambda n: (len(n), n)))
    return text if len(text) <= MAX_NAMES_CHARS else text[: MAX_NAMES_CHARS - 2].rsplit(",", 1)[0] + ", …"


def _departures(calls: pd.DataFrame, week: pd.DataFrame | None) -> pd.DataFrame:
    """Per place and weekday: boardings of the services running that day."""
    per = calls.groupby(["place", "service_id"], as_index=False)["boards"].sum()
    if week is None or per.empty:
        return pd.DataFrame(0, index=per["place"].unique(), columns=list(DEPARTURE_COLUMNS))
    active = week.reindex(per["service_id"], fill_value=False).to_numpy()
    counts = pd.DataFrame(active * per["boards"].to_numpy()[:, None], columns=list(DEPARTURE_COLUMNS))
    return counts.groupby(per["place"].to_numpy()).sum().round().astype(int)


def build_stops(feed: Feed, report: ImportReport) -> gpd.GeoDataFrame:
    """The stops layer in EPSG:4326, with notes on what was merged, skipped and counted."""
    places, place_of = _places(feed.stops, feed.name)
    for key in ("merged", "skipped_nodes"):
        if places.attrs[key]:
            report.warn(f"warn.gtfs_{key}", n=places.attrs[key])
    located = places["lat"].notna() & places["lon"].notna()
    report.drop("drop.no_coordinates", int((~located).sum()))
    places = places[located]
    if places.empty:
        raise EmptyLayerError("err.gtfs_no_stops", name=feed.name)
    calls, unknown = _calls(feed, place_of)
    if unknown:
        report.warn("warn.gtfs_unknown_refs", n=unknown)
    ref = reference_week(feed, calls.groupby("service_id")["boards"].sum())
    week = ""
    if ref is not None:
        sunday = ref[0] + timedelta(days=6)
        report.warn("warn.gtfs_week", start=ref[0].date(), end=sunday.date())
        week = f"{ref[0]:%Y-%m-%d}/{sunday:%Y-%m-%d}"
    summary = _route_summary(calls, feed.routes).reindex(places["stop_id"])
    departures = _departures(calls, ref[1] if ref else None).reindex(places["stop_id"], fill_value=0)
    data = {
        "stop_id": places["stop_id"].to_numpy(),
        "stop_name": places["stop_name"].to_numpy(),
        "typ": summary["typ"].fillna("bushaltestelle").to_numpy(),
        "routes": summary["routes"].fillna(0).astype(int).to_numpy(),
        **{col: departures[col].to_numpy() for col in DEPARTURE_COLUMNS},
        "route_names": summary["route_names"].fillna("").to_numpy(),
        "route_types": summary["route_types"].fillna("").to_numpy(),
        "reference_week": week,
    }
    geometry = gpd.points_from_xy(places["lon"], places["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(data, geometry=geometry, crs="EPSG:4326")
