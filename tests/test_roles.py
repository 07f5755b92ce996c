"""Role, kind and attribution guesses for the upload form."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.imports.column_roles import OSM, guess_attribution, guess_kind, guess_roles, readable_title
from geo.imports.formats import read_upload

SQUARE = shapely.box(0, 0, 1, 1)


def _frame(columns: dict, geom=SQUARE, n: int = 2) -> gpd.GeoDataFrame:
    data = {k: v if isinstance(v, list) else [v] * n for k, v in columns.items()}
    return gpd.GeoDataFrame(data, geometry=[geom] * n, crs=25832)


VG = {"GEN": "Calbe (Saale)", "BEZ": "Stadt", "AGS": "15089055", "BEGINN": pd.Timestamp("2021-03-01")}


def test_vg_municipalities():
    gdf = _frame(VG)
    assert guess_roles(gdf) == {"name": "GEN", "key": "AGS", "category": "BEZ"}  # BEGINN is no event start
    assert guess_kind("irgendwas", gdf) == "municipalities"
    assert guess_attribution(gdf) == "© GeoBasis-DE / BKG 2021"
    assert guess_attribution(gdf.drop(columns="BEGINN")) == "© GeoBasis-DE / BKG"
    assert guess_kind("vg", _frame(VG, shapely.Point(0, 0))) != "municipalities"  # points are no areas


def test_event_roles_and_kind():
    gdf = _frame(
        {
            "Titel": "Sommerfest",
            "Beginn": pd.Timestamp("2025-07-01"),
            "Ende": pd.Timestamp("2025-07-02"),
            "Kategorie": "Fest",
            "EWZ": 1200,
            "Einwohner": "viele",
        },
        shapely.Point(0, 0),
    )
    assert guess_roles(gdf) == {
        "name": "Titel",
        "category": "Kategorie",
        "population": "EWZ",
        "start": "Beginn",
        "end": "Ende",
    }
    assert guess_kind("termine", gdf) == "events"
    assert guess_kind("tabelle", gdf) == "events"  # from the date columns alone


def test_roles_skip_empty_columns_and_text_population():
    gdf = _frame({"name": [None, None], "NAME_2": "x", "population": "viele", "id": ["a", "b"]})
    assert guess_roles(gdf) == {"key": "id"}


@pytest.mark.parametrize(
    ("name", "columns", "kind"),
    [
        ("amenity.coworking_space", {"amenity": "coworking_space"}, "coworking"),
        ("bahnhoefe_db2020", {"NAME": "Calbe"}, "mobility"),
        ("Rufbus-Haltestellen", {"name": "x"}, "mobility"),
        ("Ladesäulen", {"Betreiber": "x"}, "mobility"),
        ("punkte", {"amenity": "charging_station"}, "mobility"),
        ("Veranstaltungen 2025", {"titel": "x"}, "events"),
        ("amenity.theatre", {"amenity": "theatre", "@id": "way/1"}, "other"),
        ("Ortsteile", {"name": "Lobeda"}, "municipalities"),
    ],
)
def test_kind_from_names_and_tags(name, columns, kind):
    geom = SQUARE if kind == "municipalities" else shapely.Point(0, 0)
    assert guess_kind(name, _frame(columns, geom)) == kind


def test_attribution():
    assert guess_attribution(_frame({"@id": "node/1", "name": "x"})) == "© OpenStreetMap-Mitwirkende (ODbL)"
    assert guess_attribution(_frame({"osm_id": 5})) == "© OpenStreetMap-Mitwirkende (ODbL)"
    assert guess_attribution(_frame({"name": "x"})) == ""
    assert (
        guess_attribution(pd.DataFrame({"GEN": ["a"], "BEZ": ["b"], "ARS": ["1"]})) == "© GeoBasis-DE / BKG"
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("amenity.coworking_space", "Amenity coworking space"),
        ("highway-nodes", "Highway nodes"),
        ("VG5000_GEM", "VG5000 GEM"),
        ("Jena Ortsteile", "Jena Ortsteile"),
        ("__", "Neue Ebene"),
    ],
)
def test_readable_title(name, title):
    assert readable_title(name) == title


# real file → (kind, attribution, roles) as the import suggests them
REAL = {
    "boundaries/salzlandkreis_demo_25832.gpkg": (
        "municipalities",
        "© GeoBasis-DE / BKG 2019",
        {"name": "GEN", "key": "AGS", "category": "BEZ"},
    ),
    "osm_jena/amenity.coworking_space.geojson": (
        "coworking",
        OSM,
        {"name": "name", "key": "id", "category": "amenity"},
    ),
    "osm_jena/highway-nodes.geojson": ("mobility", OSM, {"name": "name", "key": "id", "category": "highway"}),
    "osm_jena/Jena_Ortsteile.geojson": (
        "municipalities",
        OSM,
        {"name": "name", "key": "id", "category": "type"},
    ),
    "points/ladesaeulen_st_sn_2019-07.csv": (
        "mobility",
        "",
        {"name": "Adresse", "category": "Art der Ladeeinrichtung"},
    ),
    "osm_jena/amenity.theatre.geojson": ("other", OSM, {"name": "name", "key": "id", "category": "amenity"}),
}


@pytest.mark.parametrize("rel", sorted(REAL))
def test_suggestions_for_real_files(rel, shared_data):
    item = read_upload(
        Path(rel).name, shared_data / rel, layer="gemeinden_vg5000" if rel.endswith("gpkg") else None
    )[0]
    kind, attribution, roles = REAL[rel]
    assert (item.suggestion["kind"], item.suggestion["attribution"], item.suggestion["roles"]) == (
        kind,
        attribution,
        roles,
    )
