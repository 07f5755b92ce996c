"""Detail panel and table: labels instead of raw column names and codes, no empty fields."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.maps.details import feature_rows, readable_table

ROLES = {"name": "name", "category": "typ"}


def _offer(**extra) -> pd.Series:
    return pd.Series(
        {"name": "Haltestelle Markt", "typ": "bushaltestelle", "betreiber": "KVG", "url": None, **extra}
    )


def test_detail_rows_label_columns_and_category_codes_in_both_languages():
    de = dict(feature_rows(_offer(), "de", ROLES))
    assert de == {"Name": "Haltestelle Markt", "Art": "Bushaltestelle", "Betreiber": "KVG"}
    en = dict(feature_rows(_offer(), "en", ROLES))
    assert en == {"Name": "Haltestelle Markt", "Type": "Bus stop", "Operator": "KVG"}


def test_detail_rows_leave_out_empty_fields():
    rows = dict(feature_rows(_offer(url="  ", notiz=np.nan, AGS="15089030"), "de", ROLES))
    assert "Webseite" not in rows and "Notiz" not in rows
    assert rows["Amtlicher Gemeindeschlüssel (AGS)"] == "15089030"  # keys stay strings


def test_unknown_category_values_and_columns_are_shown_as_they_are_escaped():
    rows = dict(feature_rows(_offer(typ="<b>Lastenrad</b>", mein_feld="x"), "de", ROLES))
    assert rows["Art"] == "&lt;b&gt;Lastenrad&lt;/b&gt;" and rows["Mein feld"] == "x"


def test_readable_table_labels_columns_and_codes_but_keeps_rows():
    gdf = gpd.GeoDataFrame(
        {"name": ["A", "B"], "typ": ["carsharing", None], "Typ2": ["x", "y"], "url": ["", "https://e.org"]},
        geometry=[Point(0, 0), Point(1, 1)],
        crs=4326,
    )
    table = readable_table(gdf, ROLES, "de")
    assert list(table.columns) == ["Name", "Art", "Typ2", "Webseite"]
    assert table["Art"].tolist()[0] == "Carsharing" and pd.isna(table["Art"].tolist()[1])
    assert list(gdf.columns) == ["name", "typ", "Typ2", "url", "geometry"]  # the input is untouched
    assert list(readable_table(gdf, ROLES, "en").columns) == ["Name", "Type", "Typ2", "Website"]
