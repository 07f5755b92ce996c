"""GTFS import: the fixture feed's hand-computed stops, routes and departures; broken feeds."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import gtfs_fixture as fx
import pytest
from cli_runner import run_geo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import EmptyLayerError, GeoError, UnreadableFileError
from geo.imports.formats import list_source_layers, read_upload
from geo.imports.gtfs.stops import DEPARTURE_COLUMNS, feed_root, read_gtfs

REPO = Path(__file__).resolve().parents[1]


def by_stop(layer) -> dict:
    return layer.gdf.set_index("stop_id")


def check_fixture_layer(layer) -> None:
    gdf = by_stop(layer)
    assert len(gdf) == fx.STOP_COUNT
    assert {k: int(v) for k, v in gdf["routes"].items()} == fx.ROUTES
    assert {
        k: tuple(int(x) for x in row) for k, row in gdf[list(DEPARTURE_COLUMNS)].iterrows()
    } == fx.DEPARTURES
    assert gdf["typ"].to_dict() == fx.TYPES
    assert set(gdf["reference_week"]) == {fx.REFERENCE_WEEK}


def test_fixture_feed_gives_hand_computed_counts():
    layer = read_gtfs("salzland-feed.zip", fx.feed_zip())
    check_fixture_layer(layer)
    gdf = by_stop(layer)
    assert gdf.loc["S1", "stop_name"] == "Staßfurt, Bahnhof"  # quoted field with a comma
    assert gdf.loc["S1", "route_names"] == "110, 111, RE 24"
    assert gdf.loc["S1", "route_types"] == "Bahn, Bus"
    assert gdf.loc["B4", "route_names"] == ""
    assert layer.gdf.crs == "EPSG:4326"
    s1 = gdf.loc["S1", "geometry"]
    assert (round(s1.x, 4), round(s1.y, 4)) == (11.577, 51.8627)  # the station's own position


def test_report_and_suggestions():
    layer = read_gtfs("salzland-feed.zip", fx.feed_zip())
    report = layer.report
    assert (report.features_read, report.features_stored, report.source_crs) == (11, 6, "EPSG:4326")
    assert {key for key, _ in report.warnings} == {
        "warn.gtfs_merged",
        "warn.gtfs_skipped_nodes",
        "warn.gtfs_week",
    }
    texts = " ".join(report.warning_texts("de"))
    assert "10.03.2025 bis 16.03.2025" in texts and "3 Steige" in texts
    assert "week from 10 Mar 2025 to 16 Mar 2025" in " ".join(report.warning_texts("en"))
    assert layer.suggestion["kind"] == "mobility"
    assert layer.suggestion["roles"] == {"name": "stop_name", "category": "typ", "key": "stop_id"}
    assert "Testverbund Salzland" in layer.suggestion["attribution"]


def test_read_upload_routes_gtfs_zips_also_one_folder_down(tmp_path):
    (layer,) = read_upload("feed.zip", fx.feed_zip())
    check_fixture_layer(layer)
    (nested,) = read_upload("feed.zip", fx.feed_zip(folder="gtfs_export/"))
    check_fixture_layer(nested)
    path = tmp_path / "feed.zip"
    path.write_bytes(fx.feed_zip())
    check_fixture_layer(read_upload(path.name, path)[0])
    check_fixture_layer(read_gtfs(path.name, path))
    assert list_source_layers("feed.zip", fx.feed_zip()) == [
        {"name": "feed", "geometry_type": "Point", "features": 6, "spatial": True}
    ]


def test_stored_layer_keeps_ids_and_counts(store):
    layer = read_gtfs("feed.zip", fx.feed_zip())
    info = store.write(layer.gdf, title="Haltestellen", kind="mobility", roles=layer.suggestion["roles"])
    back = store.read(info.id).set_index("stop_id")
    assert int(back.loc["B2", "departures_mo"]) == 4 and int(back.loc["S1", "routes"]) == 3


def test_feed_root_finds_root_or_one_folder_down(tmp_path):
    root = tmp_path
    files = [root / "a" / "stops.txt", root / "a" / "stop_times.txt", root / "readme.txt"]
    assert feed_root(files, root) == root / "a"
    deep = [root / "a" / "b" / "stops.txt", root / "a" / "b" / "stop_times.txt"]
    assert feed_root(deep, root) is None
    partial = [root / "agency.txt", root / "routes.txt"]
    assert feed_root(partial, root) == root  # an incomplete feed gets GTFS messages …
    assert feed_root(partial, root, other_data=True) is None  # … unless other geodata is there


def test_calendar_dates_only_feed():
    # DAILY on Mon 2025-03-10 … Sun 2025-03-16, WD on Mon–Fri of that week, nothing else:
    # S1 boards RE1 daily plus RE3, 110a, 111a on weekdays → 4 4 4 4 4 1 1
    days = [f"202503{d}" for d in range(10, 17)]
    dates = "service_id,date,exception_type\n" + "".join(f"DAILY,{d},1\n" for d in days)
    dates += "".join(f"WD,{d},1\n" for d in days[:5])
    layer = read_gtfs("feed.zip", fx.feed_zip(drop=("calendar.txt",), replace={"calendar_dates.txt": dates}))
    row = by_stop(layer).loc["S1"]
    assert tuple(int(row[c]) for c in DEPARTURE_COLUMNS) == (4, 4, 4, 4, 4, 1, 1)
    assert by_stop(layer).loc["B2", "reference_week"] == fx.REFERENCE_WEEK


def broken(name: str, old: str, new: str) -> bytes:
    assert old in fx.FILES[name]
    return fx.feed_zip(replace={name: fx.FILES[name].replace(old, new)})


BAD = UnreadableFileError  # damaged or incomplete feed


@pytest.mark.parametrize(
    ("data", "error", "phrases"),
    [
        (fx.feed_zip(drop=("stops.txt",)), BAD, ["fehlt die Datei „stops.txt“"]),
        (fx.feed_zip(drop=("stop_times.txt",)), BAD, ["fehlt die Datei „stop_times.txt“"]),
        (fx.feed_zip(drop=("trips.txt",)), BAD, ["„trips.txt“"]),
        (fx.feed_zip(drop=("calendar.txt", "calendar_dates.txt")), BAD, ["„calendar.txt“"]),
        (fx.feed_zip(files={"readme.txt": "kein Fahrplan"}), BAD, ["„stops.txt“"]),
        (broken("stop_times.txt", "stop_sequence", "seq"), BAD, ["fehlen die Spalten", "„stop_sequence“"]),
        (broken("stops.txt", "51.8950", "nördlich"), BAD, ["stop_lat", "„nördlich“", "-90 … 90"]),
        (broken("stops.txt", "11.6380", "211.6380"), BAD, ["stop_lon", "„211.6380“"]),
        (broken("calendar.txt", "20250303", "2025-03-03"), BAD, ["start_date", "YYYYMMDD"]),
        (broken("frequencies.txt", "06:00:00,09", "6 Uhr,09"), BAD, ["start_time", "HH:MM:SS"]),
        (
            broken("stop_times.txt", "RE1,07:00:00", "RE1,x,y,z,07:00:00"),
            BAD,
            ["stop_sequence", "„07:00:00“"],
        ),
        (
            broken("stops.txt", '"Löderburg, Siedlung"', '"Löderburg, Siedlung'),
            BAD,
            ["„stops.txt“", "keine lesbare CSV"],
        ),
        (
            broken("stops.txt", "stop_lat,stop_lon", "lat,lon"),
            EmptyLayerError,
            ["keine Haltestelle mit Koordinaten"],
        ),
        (b"PK\x03\x04 kein zip", BAD, ["kein gültiges ZIP-Archiv"]),
    ],
)
def test_malformed_feeds_give_clear_errors(data, error, phrases):
    with pytest.raises(error) as exc:
        read_gtfs("feed.zip", data)
    message = exc.value.message("de")
    assert all(p in message for p in phrases), message
    assert "feed.zip" in message


def test_malformed_feed_via_upload_and_in_english():
    with pytest.raises(GeoError) as exc:
        read_upload("fahrplan.zip", fx.feed_zip(drop=("stops.txt",)))
    assert exc.value.key == "err.gtfs_missing_file"
    assert exc.value.message("en") == (
        "The file “stops.txt” is missing from the GTFS feed “fahrplan.zip”. Please upload the complete feed "
        "(stops.txt, stop_times.txt, trips.txt, routes.txt and calendar.txt or calendar_dates.txt)."
    )


def geo_cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    return run_geo(*args, "--data", str(data))


def test_cli_imports_a_gtfs_feed(tmp_path):
    feed = tmp_path / "salzland.zip"
    feed.write_bytes(fx.feed_zip())
    out = geo_cli("import", str(feed), data=tmp_path / "store")
    assert out.returncode == 0, out.stderr
    assert "11 gelesen, 6 übernommen" in out.stdout
    (layer,) = json.loads(geo_cli("list", "--json", data=tmp_path / "store").stdout)
    assert (layer["kind"], layer["feature_count"], layer["title"]) == ("mobility", 6, "Haltestellen salzland")
    bad = tmp_path / "kaputt.zip"
    bad.write_bytes(fx.feed_zip(drop=("stop_times.txt",)))
    out = geo_cli("import", str(bad), data=tmp_path / "store")
    assert out.returncode == 2 and "stop_times.txt" in out.stderr and "Traceback" not in out.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(fx.FILES)),
    cut=st.integers(0, 400),
    junk=st.binary(max_size=40),
)
def test_damaged_tables_give_a_layer_or_a_geo_error(name, cut, junk):
    """Truncated tables with random bytes appended: never an exception other than GeoError."""
    text = fx.FILES[name].encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for other, content in fx.FILES.items():
            zf.writestr(other, text[:cut] + junk if other == name else content.encode("utf-8"))
    try:
        layer = read_gtfs("feed.zip", buf.getvalue())
    except GeoError:
        return
    assert len(layer.gdf) <= fx.STOP_COUNT
