"""Read planners' GIS files into clean GeoDataFrames, with a report of every change.

One entry point, `read_upload`, takes a file name and either the uploaded bytes or a path
(CLI, tests) and returns one `ImportedLayer` per imported layer: geometries cleaned (null
and empty dropped, invalid repaired, 2D), columns safe to show and serialise, source CRS
kept. Every user-caused problem raises a `GeoError` with a readable message.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors
from pyproj import CRS

from geo.config import Settings, load_settings
from geo.errors import EmptyLayerError, GeoError, TooLargeError, UnreadableFileError, UnsupportedFormatError
from geo.i18n import Msg
from geo.imports import column_roles as roles
from geo.imports.archives import extract_zip, find_data_files, no_data_error, shapefile_complete
from geo.imports.cleaning import (
    apply_crs,
    clean_attributes,
    clean_geometries,
    drop_fid_artefacts,
    drop_kml_artefacts,
    has_curves,
    parse_crs,
    restore_nullable,
)
from geo.imports.csv_points import read_csv_points
from geo.imports.gtfs import stops as gtfs
from geo.imports.plausibility import check_axes, swap_axes
from geo.imports.report import ImportedLayer, ImportReport

SUFFIXES = (".gpkg", ".geojson", ".json", ".kml", ".zip", ".shp", ".csv")
_SAFE_STEM = "upload"  # uploads are written as upload.<suffix>; never the user's name
_OGR_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError)
_REASONS = {
    ".gpkg": "reason.invalid_gpkg",
    ".geojson": "reason.invalid_geojson",
    ".json": "reason.invalid_geojson",
    ".kml": "reason.invalid_kml",
    ".shp": "reason.invalid_shp",
}


@dataclass(frozen=True)
class _Source:
    """The user's file as we know it: display name, safe stem, suffix, where it lies."""

    display: str
    stem: str
    suffix: str
    files: tuple[Path, ...]
    from_zip: bool = False


@dataclass(frozen=True)
class _Entry:
    """One layer found in one file; `name` is what the user sees and chooses."""

    path: Path
    ogr_name: str
    name: str
    geometry_type: str | None

    @property
    def spatial(self) -> bool:
        return self.geometry_type is not None


def list_source_layers(
    filename: str, data: bytes | str | Path, *, settings: Settings | None = None
) -> list[dict]:
    """The layers in the file, for the preview's layer choice (no cleaning, no CRS checks)."""
    settings = settings or load_settings()
    _silence_measured_warning()
    with tempfile.TemporaryDirectory(prefix="geo-import-") as tmp:
        source = _open_source(filename, data, Path(tmp), settings)
        if source.suffix == gtfs.SOURCE:
            return [gtfs.list_entry(source.files[0], source.display, source.stem)]
        if source.suffix == ".csv":
            points = read_csv_points(source.files[0], source.display)
            return [
                {"name": source.stem, "geometry_type": "Point", "features": points.rows_read, "spatial": True}
            ]
        out = []
        for entry in _entries(source)[0]:
            count = _feature_count(entry)
            out.append(
                {
                    "name": entry.name,
                    "geometry_type": entry.geometry_type,
                    "features": count,
                    "spatial": entry.spatial,
                }
            )
        return out


def read_upload(
    filename: str,
    data: bytes | str | Path,
    *,
    layer: str | None = None,
    crs: str | int | None = None,
    x: str | None = None,
    y: str | None = None,
    settings: Settings | None = None,
    swap_xy: bool = False,
) -> list[ImportedLayer]:
    """Import `data` (bytes or a path) named `filename`: all spatial layers, or just `layer`.

    `crs` assigns or overrides the source CRS (coordinates are not transformed); `x`/`y`
    name a CSV's coordinate columns, `swap_xy` reads a CSV's x as y and y as x (files whose
    column names are the wrong way round; the report offers it). File-level warnings
    (skipped layers) go into the first layer's report.
    """
    settings = settings or load_settings()
    _silence_measured_warning()
    target = parse_crs(crs) if crs not in (None, "") else None
    with tempfile.TemporaryDirectory(prefix="geo-import-") as tmp:
        source = _open_source(filename, data, Path(tmp), settings)
        if source.suffix == ".csv":
            return [_read_csv(source, target, x, y, swap_xy)]
        if source.suffix == gtfs.SOURCE:
            return [gtfs.stops_layer(source.files[0], source.display, source.stem)]
        return _read_layers(source, layer, target)


def _silence_measured_warning() -> None:
    """GDAL turns M into Z and warns on every read; we drop both and report warn.z_dropped.

    A global filter (idempotent) because `warnings.catch_warnings` is not thread-safe.
    """
    warnings.filterwarnings("ignore", message=r"Measured \(M\) geometry types", category=UserWarning)


def safe_stem(filename: str) -> str:
    """The file name without folders and suffix (also ``.shp.zip``), printable, short."""
    base = Path(str(filename).replace("\\", "/")).name
    stem = base
    for _ in range(2):
        suffix = Path(stem).suffix
        if suffix.lower() in (*SUFFIXES, ".shp"):
            stem = stem[: -len(suffix)]
    stem = "".join(ch for ch in stem if ch.isprintable()).strip()[:100]
    return stem or _SAFE_STEM


def _display_name(filename: str) -> str:
    base = Path(str(filename).replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable()).strip()[:200] or _SAFE_STEM


def _open_source(filename: str, data: bytes | str | Path, tmp: Path, settings: Settings) -> _Source:
    """Check suffix and size, put bytes into `tmp`, unpack ZIPs; the files to read."""
    display = _display_name(filename)
    suffix = Path(display).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedFormatError("err.unsupported_format", suffix=suffix or display)
    if isinstance(data, (bytes, bytearray, memoryview)):
        if suffix == ".shp":
            raise UnsupportedFormatError("err.shp_needs_zip", name=display)
        _check_size(len(data), display, settings)
        path = tmp / f"{_SAFE_STEM}{suffix}"
        path.write_bytes(bytes(data))
    else:
        path = _local_file(Path(data), suffix, display, tmp, settings)
    source = _Source(display, safe_stem(filename), suffix, (path,))
    if suffix != ".zip":
        return source
    unpacked = tmp / "unzipped"
    unpacked.mkdir()
    paths = extract_zip(path, unpacked, display, settings)
    files = find_data_files(paths)
    if (feed := gtfs.feed_root(paths, unpacked, other_data=bool(files))) is not None:  # a timetable
        return _Source(display, source.stem, gtfs.SOURCE, (feed,), from_zip=True)
    if not files:
        raise no_data_error(display)
    return _Source(display, source.stem, suffix, tuple(files), from_zip=True)


def _local_file(path: Path, suffix: str, display: str, tmp: Path, settings: Settings) -> Path:
    """A path given by the CLI or tests; copied into `tmp` only when its suffix differs."""
    if not path.is_file():
        raise GeoError("err.file_not_found", name=display)
    siblings = [path]
    if suffix == ".shp":
        siblings = [p for p in path.parent.iterdir() if p.stem == path.stem and p.is_file()]
    _check_size(sum(p.stat().st_size for p in siblings), display, settings)
    if suffix == ".shp" and not shapefile_complete(path):
        raise UnreadableFileError("err.unreadable", name=display, reason=Msg("reason.shp_sidecar_missing"))
    if path.suffix.lower() == suffix:
        return path
    copy = tmp / f"{_SAFE_STEM}{suffix}"
    shutil.copyfile(path, copy)
    return copy


def _check_size(size: int, display: str, settings: Settings) -> None:
    if size > settings.max_upload_mb * 1024 * 1024:
        raise TooLargeError(
            "err.too_large",
            name=display,
            size_mb=round(size / 1024 / 1024, 1),
            limit_mb=settings.max_upload_mb,
        )


def _entries(source: _Source) -> tuple[list[_Entry], list[tuple[str, dict]]]:
    """All layers of all files; unreadable archive members are skipped when others work."""
    entries: list[_Entry] = []
    skipped: list[tuple[str, dict]] = []
    for path in source.files:
        try:
            layers = pyogrio.list_layers(path)
        except _OGR_ERRORS as exc:
            if not source.from_zip or len(source.files) == 1:
                raise UnreadableFileError(
                    "err.unreadable", detail=str(exc), name=source.display, reason=_reason(path)
                ) from None
            skipped.append(_skip(path.name, "skip.unreadable"))
            continue
        for ogr_name, geometry_type in layers:
            name = source.stem if ogr_name == _SAFE_STEM else str(ogr_name)
            entries.append(_Entry(path, str(ogr_name), name, geometry_type))
    if not entries and source.from_zip:
        raise no_data_error(source.display)
    if not entries:
        raise EmptyLayerError("err.empty_layer", layer=source.stem, name=source.display)
    return entries, skipped


def _feature_count(entry: _Entry) -> int:
    try:
        return int(pyogrio.read_info(entry.path, layer=entry.ogr_name, force_feature_count=True)["features"])
    except _OGR_ERRORS:
        return 0


def _read_layers(source: _Source, layer: str | None, target: CRS | None) -> list[ImportedLayer]:
    """The chosen layer, or every spatial layer (empty ones skipped with a warning)."""
    entries, skipped = _entries(source)
    single = len(entries) == 1
    if layer is not None:
        chosen = [e for e in entries if layer in (e.name, e.ogr_name)]
        if not chosen:
            available = ", ".join(e.name for e in entries)
            raise GeoError("err.layer_not_in_file", layer=layer, name=source.display, available=available)
        if not chosen[0].spatial:
            raise EmptyLayerError("err.layer_not_spatial", layer=layer, name=source.display)
        return [_read_layer(source, chosen[0], target, single)]
    spatial = [e for e in entries if e.spatial]
    skipped += [_skip(e.name, "skip.no_geometry") for e in entries if not e.spatial]
    if not spatial:
        raise EmptyLayerError("err.no_spatial_layer", name=source.display)
    results: list[ImportedLayer] = []
    errors: list[EmptyLayerError] = []
    for entry in spatial:
        try:
            results.append(_read_layer(source, entry, target, len(spatial) == 1))
        except EmptyLayerError as exc:
            if len(spatial) == 1:
                raise
            errors.append(exc)
            reason = "skip.no_features" if exc.key == "err.empty_layer" else "skip.all_dropped"
            skipped.append(_skip(entry.name, reason))
    if not results:
        raise errors[0]
    for key, params in skipped:
        results[0].report.warn(key, **params)
    return results


def _skip(layer: str, reason: str) -> tuple[str, dict]:
    return ("warn.skipped_layer", {"layer": layer, "reason": Msg(reason)})


def _reason(path: Path) -> Msg:
    """Why GDAL could not open `path`, by what its suffix promised."""
    return Msg(_REASONS.get(path.suffix.lower(), "reason.unknown_format"))


def _read_layer(source: _Source, entry: _Entry, target: CRS | None, single: bool) -> ImportedLayer:
    """Read one OGR layer and run it through the common cleanup."""
    try:
        # GDAL accepts degenerate geometries (a one-point line) that shapely refuses; "fix" closes
        # open rings and turns the rest into nulls, which cleanup drops and counts.
        gdf = pyogrio.read_dataframe(entry.path, layer=entry.ogr_name, on_invalid="fix")
        info = pyogrio.read_info(entry.path, layer=entry.ogr_name)
    except _OGR_ERRORS as exc:
        raise UnreadableFileError(
            "err.unreadable", detail=str(exc), name=source.display, reason=_reason(entry.path)
        ) from None
    report = ImportReport(source_file=source.display, layer_name=entry.name, features_read=len(gdf))
    if gdf.empty:
        raise EmptyLayerError("err.empty_layer", layer=entry.name, name=source.display)
    if has_curves(entry.path, entry.ogr_name):
        report.warn("warn.curves_linearised")
    gdf = restore_nullable(drop_fid_artefacts(gdf), info)
    if entry.path.suffix.lower() == ".kml":
        gdf = drop_kml_artefacts(gdf)
    return _finish(gdf, report, source, entry.name, target, single)


def _read_csv(
    source: _Source, target: CRS | None, x: str | None, y: str | None, swap_xy: bool
) -> ImportedLayer:
    points = read_csv_points(source.files[0], source.display, x=x, y=y)
    report = ImportReport(source_file=source.display, layer_name=source.stem, features_read=points.rows_read)
    report.drop("drop.bad_row", points.bad_rows)
    report.features_read += points.bad_rows
    report.drop("drop.no_coordinates", points.no_coordinates)
    gdf = points.gdf.set_geometry(swap_axes(points.gdf.geometry.to_numpy())) if swap_xy else points.gdf
    item = _finish(gdf, report, source, source.stem, target, True)
    check_axes(item.gdf, item.report, swapped=swap_xy)
    return item


def _finish(
    gdf: gpd.GeoDataFrame, report: ImportReport, source: _Source, name: str, target: CRS | None, single: bool
) -> ImportedLayer:
    """Common cleanup for every format: geometries, attributes, CRS, suggestions."""
    gdf = clean_geometries(gdf, report)
    if gdf.empty:
        raise EmptyLayerError("err.no_features", name=source.display, reason=_drop_summary(report))
    gdf = clean_attributes(gdf, report)
    gdf = apply_crs(gdf, target, report, source.display)
    report.features_stored = len(gdf)
    kind_name = f"{source.stem} {name}" if single else name
    suggestion = {
        "title": roles.readable_title(source.stem if single else name),
        "kind": roles.guess_kind(kind_name, gdf),
        "attribution": roles.guess_attribution(gdf),
        "roles": roles.guess_roles(gdf),
    }
    return ImportedLayer(name=name, gdf=gdf, report=report, suggestion=suggestion)


def clean_layer(
    gdf: gpd.GeoDataFrame, source_name: str, layer_name: str, target: CRS | None
) -> ImportedLayer:
    """A layer read elsewhere (a web service) through the same cleanup and report as a file's."""
    report = ImportReport(source_file=source_name, layer_name=layer_name, features_read=len(gdf))
    if gdf.empty:
        raise EmptyLayerError("err.empty_layer", layer=layer_name, name=source_name)
    return _finish(gdf, report, _Source(source_name, layer_name, "", ()), layer_name, target, True)


def _drop_summary(report: ImportReport) -> tuple[Msg, ...] | Msg:
    """The reason for `err.no_features`, e.g. "45 Objekte mit leerer Geometrie"."""
    return tuple(Msg(key, n=n) for key, n in report.dropped.items()) or Msg("skip.no_features")


def json_default(value: object) -> str:
    """`json.dumps` default for date/time values, e.g. ``gdf.to_json(default=json_default)``.

    geopandas' `to_json` cannot serialise datetime columns on its own.
    """
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
