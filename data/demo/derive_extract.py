"""Derive ``salzlandkreis.gpkg``, the demo's real geodata, from the project's shared test data.

    python data/demo/derive_extract.py ../shared/data/boundaries/salzlandkreis_demo_25832.gpkg

Sources (all openly licensed, redistribution allowed with attribution):
- Gemeinden: BKG VG5000 (Stand 31.12.2021) and the district outline from BKG VG250 (2025),
  © GeoBasis-DE / BKG 2021 and 2025, dl-de/by-2-0 (Daten verändert: columns reduced,
  coordinates rounded to 1 cm).
- Bahnhöfe: Deutsche Bahn, Stationsdaten 2020, CC BY 4.0.
- Ladepunkte: Bundesnetzagentur, Ladesäulenregister (Juli 2019), CC BY 4.0.
What changed: only these columns are kept, renamed to readable German names, coordinates
rounded to 1 cm in EPSG:25832. Nothing is invented here; invented offers and events stay in
the CSV files beside this script and are marked "Demo".
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import shapely

OUT = Path(__file__).resolve().parent / "salzlandkreis.gpkg"
CRS = "EPSG:25832"
STATION_COLUMNS = {
    "NAME": "name", "EVA_NR": "eva_nr", "DS100": "ds100", "Verkehr": "verkehr", "Betreiber_Name": "betreiber",
}  # fmt: skip
CHARGING_COLUMNS = {
    "Betreiber": "betreiber", "Adresse": "adresse", "Postleitzahl Ort": "ort",
    "Art der Ladeeinrichtung": "ladeeinrichtung", "Anzahl Ladepunkte": "ladepunkte",
    "Anschlussleistung [kW]": "leistung_kw", "Inbetriebnahmedatum": "inbetriebnahme",
}  # fmt: skip


def _rounded(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf = gdf.to_crs(CRS)
    return gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 0.01))


def derive(source: Path, out: Path = OUT) -> None:
    gemeinden = gpd.read_file(source, layer="gemeinden_vg5000")[["ARS", "AGS", "GEN", "BEZ", "geometry"]]
    kreis = gpd.read_file(source, layer="kreis_vg250")[["ARS", "AGS", "GEN", "BEZ", "geometry"]]
    stations = gpd.read_file(source, layer="bahnhoefe_db2020").rename(columns=STATION_COLUMNS)
    charging = gpd.read_file(source, layer="ladesaeulen_bnetza2019").rename(columns=CHARGING_COLUMNS)
    charging["inbetriebnahme"] = charging["inbetriebnahme"].astype(str).str[:10]
    layers = {
        "gemeinden": gemeinden,
        "kreis": kreis,
        "bahnhoefe": stations[[*STATION_COLUMNS.values(), "geometry"]],
        "ladepunkte": charging[[*CHARGING_COLUMNS.values(), "geometry"]],
    }
    out.unlink(missing_ok=True)
    for name, gdf in layers.items():
        _rounded(gdf).to_file(out, layer=name, driver="GPKG")


if __name__ == "__main__":
    derive(Path(sys.argv[1]))
    print(f"{OUT} ({OUT.stat().st_size // 1024} KB)")
