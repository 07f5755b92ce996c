"""Messages users really get, in English: reasons, warnings and counts follow the language.

Each case provokes the failure through the real code path (importer, accounts, store) and
checks the English message for German words, and that German and English differ.
"""

from __future__ import annotations

import errno
import json
import zipfile
from io import BytesIO

import pytest
from test_i18n import german_in

from geo.auth import load_accounts
from geo.errors import GeoError, system_reason
from geo.i18n import Msg
from geo.imports.formats import read_upload
from geo.store import open_store

NULL_FEATURES = json.dumps(
    {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None, "properties": {}}] * 3}
).encode()


def zipped(members: dict[str, bytes], encrypted: bool = False) -> bytes:
    """A ZIP archive; `encrypted` sets the "encrypted" flag in the local and central headers."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    if encrypted:
        raw[6] |= 0x1  # general purpose flags of the (only) local file header
        raw[raw.index(b"PK\x01\x02") + 8] |= 0x1  # ... and of its central directory entry
    return bytes(raw)


UPLOADS = {
    "not a zip": ("daten.zip", b"PK but not really"),
    "encrypted": ("daten.zip", zipped({"a.geojson": b"{}"}, encrypted=True)),
    "zip slip": ("daten.zip", zipped({"../evil.geojson": b"{}"})),
    "absolute path": ("daten.zip", zipped({"/etc/evil.geojson": b"{}"})),
    "broken gpkg": ("daten.gpkg", b"SQLite format 3\x00 broken"),
    "broken geojson": ("daten.geojson", b"{not json"),
    "binary csv": ("daten.csv", b"\x00\x01\x02\xff\xfe"),
    "only null geometries": ("daten.geojson", NULL_FEATURES),
}


def assert_english(err: GeoError) -> None:
    english = err.message("en")
    assert not german_in(english), english
    assert english != err.message("de")


@pytest.mark.parametrize("case", sorted(UPLOADS))
def test_upload_errors_read_in_english(case):
    name, data = UPLOADS[case]
    with pytest.raises(GeoError) as info:
        read_upload(name, data)
    assert_english(info.value)
    if case == "encrypted":
        assert "(the ZIP archive is encrypted)" in info.value.message("en")


def test_shapefile_without_sidecars_reads_in_english(tmp_path):
    (tmp_path / "orte.shp").write_bytes(b"\x00" * 100)
    with pytest.raises(GeoError) as info:
        read_upload("orte.shp", tmp_path / "orte.shp")
    assert_english(info.value)
    assert "the .shx or .dbf file is missing" in info.value.message("en")


def test_empty_layer_lists_the_drops_in_each_language():
    with pytest.raises(GeoError) as info:
        read_upload("daten.geojson", NULL_FEATURES)
    assert "3 features without geometry" in info.value.message("en")
    assert "3 Objekte ohne Geometrie" in info.value.message("de")


@pytest.mark.parametrize(
    "accounts", ["{", "[]", '{"bad name!": "$argon2id$x"}', '{"planer": "no hash"}'], ids=str
)
def test_account_config_errors_read_in_english(accounts):
    with pytest.raises(GeoError) as info:
        load_accounts(env={"SMART_REGION_PLANNERS": accounts})
    assert_english(info.value)


def test_store_errors_read_in_english():
    with pytest.raises(GeoError) as info:
        open_store("postgresql://127.0.0.1:9/smart")  # nothing listens there: refused at once
    assert_english(info.value)
    assert "database server is running" in info.value.message(
        "en"
    ) and "Connection refused" in info.value.message("en")
    full_disk = system_reason(OSError(errno.ENOSPC, "No space left on device"))
    full = GeoError("err.store_write_failed", name="x", reason=full_disk)
    assert "the disk is full" in full.message("en") and "der Datenträger ist voll" in full.message("de")
    odd = system_reason(OSError(errno.EIO, "Input/output error"))
    assert odd.render("en") == "system error: Input/output error"


def test_warnings_of_an_import_read_in_english():
    point = {"type": "Point", "coordinates": [11.6, 51.9]}
    feature = {"type": "Feature", "geometry": point, "properties": {" Name ": "a", "name": "b"}}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    (item,) = read_upload("orte.geojson", data)
    assert "Columns were renamed: “ Name ” → “Name”, “name” → “name_2”." in item.report.warning_texts("en")
    german = "Spalten wurden umbenannt: „ Name “ → „Name“, „name“ → „name_2“."
    assert german in item.report.warning_texts("de")
    assert not [text for text in item.report.warning_texts("en") if german_in(text)]
    (csv,) = read_upload("orte.csv", b"Name;lat;lon\nA;51.9;11.6\nB;;\n")
    assert csv.report.dropped_texts("en") == ["1 row without readable coordinates"]
    assert csv.report.dropped_texts("de") == ["1 Zeile ohne lesbare Koordinaten"]


def test_rate_limit_counts_two_things_with_plurals():
    def limit(per_device: int, minutes: int) -> GeoError:
        contributions = Msg("ui.part.contributions_n", n=per_device)
        return GeoError("err.part_rate_limit", n=minutes, contributions=contributions)

    assert "schon 1 Beitrag in der letzten Minute" in limit(1, 1).message("de")
    assert "schon 5 Beiträge in den letzten 10 Minuten" in limit(5, 10).message("de")
    assert "already sent 1 contribution in the last minute" in limit(1, 1).message("en")
    assert "already sent 5 contributions in the last 10 minutes" in limit(5, 10).message("en")
