"""CSV variants planners bring: encodings, delimiters, decimal commas, WKT, odd column names."""

from __future__ import annotations

import pytest

from geo.errors import GeoError, MissingCRSError
from geo.imports.csv_points import find_xy_columns, is_key_like
from geo.imports.formats import list_source_layers, read_upload


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_decimal_comma_cp1252(tmp_path):
    text = (
        "Name;Längengrad;Breitengrad;AGS;PLZ;Einwohner;Fläche km²\n"
        "Schönebeck (Elbe);11,7389;52,0167;15089305;39218;30000;85,6\n"
        "Großenhain;13,5466;51,2899;14627110;01558;18000;130,1\n"
        "Ohne Ort;;;15089000;06400;;\n"
        "Kaputt;abc;51,0;15089001;06401;1;2,5\n"
    )
    (item,) = read_upload("orte.csv", _write(tmp_path, "orte.csv", text, "cp1252"))
    df = item.gdf
    assert df["Name"].tolist() == ["Schönebeck (Elbe)", "Großenhain"]
    assert item.report.dropped == {"drop.no_coordinates": 2} and item.report.features_read == 4
    assert df["AGS"].dtype == "str" and df["PLZ"].tolist() == ["39218", "01558"]
    assert str(df["Einwohner"].dtype) == "Int64" and df["Fläche km²"].tolist() == [85.6, 130.1]
    assert df.geometry.x.tolist() == [11.7389, 13.5466] and df.geometry.y.tolist() == [52.0167, 51.2899]
    assert item.report.source_crs == "EPSG:4326" and ("warn.assumed_wgs84", {}) in item.report.warnings
    assert item.suggestion["roles"]["population"] == "Einwohner"


def test_tab_with_bom_lat_lon_order(tmp_path):
    path = _write(tmp_path, "t.csv", "id\tLAT\tLON\tname\n007\t51.05\t13.73\tDresden\n", "utf-8-sig")
    (item,) = read_upload("t.csv", path)
    assert list(item.gdf.columns) == ["id", "LAT", "LON", "name", "geometry"]
    assert (item.gdf.geometry.x[0], item.gdf.geometry.y[0]) == (13.73, 51.05)
    assert item.gdf["id"][0] == "007"
    assert list_source_layers("t.csv", path) == [
        {"name": "t", "geometry_type": "Point", "features": 1, "spatial": True}
    ]


def test_excel_sep_line(tmp_path):
    (item,) = read_upload("x.csv", _write(tmp_path, "x.csv", "sep=;\r\nlon;lat;n\r\n11,5;51,5;a\r\n"))
    assert list(item.gdf.columns) == ["lon", "lat", "n", "geometry"] and item.gdf.geometry.x[0] == 11.5


def test_wkt_column_and_ewkt(tmp_path):
    text = 'name,WKT\nA,POINT (11 52)\nB,"LINESTRING (11 52, 12 53)"\nC,kein wkt\nD,\n'
    (item,) = read_upload("w.csv", _write(tmp_path, "w.csv", text))
    assert list(item.gdf.geom_type) == ["Point", "LineString"] and "WKT" not in item.gdf.columns
    assert item.report.dropped == {"drop.no_coordinates": 2}
    ewkt = "name,geom\nA,SRID=25832;POINT (690000 5760000)\n"
    (item,) = read_upload("e.csv", _write(tmp_path, "e.csv", ewkt))
    assert item.report.source_crs == "EPSG:25832" and item.report.warnings == []


def test_explicit_columns_and_metric_without_crs(tmp_path):
    text = "ost;nord;Rechtswert;Hochwert\n690000;5760000;4500000;5700000\n691000;5761000;4501000;5701000\n"
    path = _write(tmp_path, "m.csv", text)
    with pytest.raises(MissingCRSError, match="m.csv"):
        read_upload("m.csv", path, x="ost", y="nord")
    (item,) = read_upload("m.csv", path, x="OST", y="nord", crs=25832)
    assert item.report.source_crs == "EPSG:25832" and item.gdf.geometry.x.tolist() == [690000, 691000]
    with pytest.raises(MissingCRSError):  # recognised Rechtswert/Hochwert → metric, no CRS
        read_upload("m.csv", path)
    with pytest.raises(GeoError) as err:
        read_upload("m.csv", path, x="ost")
    assert err.value.key == "err.csv_xy_pair"
    with pytest.raises(GeoError, match="„breite“") as err:
        read_upload("m.csv", path, x="ost", y="breite")
    assert err.value.key == "err.csv_column_missing"


def test_no_coordinates_and_bad_rows(tmp_path):
    with pytest.raises(GeoError, match="Stadt, Wert") as err:
        read_upload("n.csv", _write(tmp_path, "n.csv", "Stadt,Wert\nJena,1\n"))
    assert err.value.key == "err.csv_no_coordinates"
    (item,) = read_upload("b.csv", _write(tmp_path, "b.csv", "lon,lat,n\n11,51,a\n12,52,b,EXTRA\n13,53,c\n"))
    assert len(item.gdf) == 2 and item.report.dropped == {"drop.bad_row": 1}
    assert item.report.features_read == 3


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["Längengrad [DG]", "Breitengrad [DG]"], ("Längengrad [DG]", "Breitengrad [DG]")),
        (["Breite", "Laenge"], ("Laenge", "Breite")),
        (["Breite", "Länge"], ("Länge", "Breite")),
        (["lat", "lng"], ("lng", "lat")),
        (["Latitude", "Longitude"], ("Longitude", "Latitude")),
        (["X", "Y"], ("X", "Y")),
        (["x_coord", "y_coord"], ("x_coord", "y_coord")),
        (["RECHTSWERT", "HOCHWERT"], ("RECHTSWERT", "HOCHWERT")),
        (["lon (WGS84)", " lat (WGS84) "], ("lon (WGS84)", " lat (WGS84) ")),
        (["LATITUDE", "LONGITUDE", "lon", "lat"], ("lon", "lat")),
        (["name", "ort"], None),
    ],
)
def test_coordinate_column_names(columns, expected):
    assert find_xy_columns(columns) == expected


@pytest.mark.parametrize(
    ("column", "key"),
    [
        ("AGS", True),
        ("ARS_0", True),
        ("Postleitzahl Ort", True),
        ("IFOPT", True),
        ("EVA_NR", True),
        ("RENTAL_ZONE_HAL_ID", True),
        ("Gemeindeschlüssel", True),
        ("Anzahl Ladepunkte", False),
        ("P1 [kW]", False),
        ("Einwohner", False),
    ],
)
def test_key_like_columns(column, key):
    assert is_key_like(column) is key
