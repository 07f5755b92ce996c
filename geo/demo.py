"""Demo data for the Salzlandkreis: real boundaries and stations, invented offers and events.

Real, openly licensed geodata (``data/demo/salzlandkreis.gpkg``, derived by
``data/demo/derive_extract.py``): the 21 Gemeinden (BKG VG5000), the district's DB stations
and the Bundesnetzagentur's charging points. Stated facts in small CSV files: rounded
populations, and *invented* coworking spaces, mobility offers, events and example ideas of a
participation round, each marked "Demo". Event and round dates are relative to the day the
demo is built, so there are always past and upcoming ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import geopandas as gpd
import pandas as pd
import shapely

from geo import clock
from geo.config import REPO_ROOT
from geo.participation.rounds import new_round
from geo.store import LayerInfo, Store

FACTS_DIR = REPO_ROOT / "data" / "demo"
EXTRACT = FACTS_DIR / "salzlandkreis.gpkg"
METRIC_CRS = "EPSG:25832"
ATTRIBUTION = "Demodaten (erfunden), erzeugt vom Smart-Region-Dashboard"
BKG_ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert), dl-de/by-2-0; Einwohner gerundet"
DB_ATTRIBUTION = "Deutsche Bahn AG, Stationsdaten 2020, CC BY 4.0"
BNETZA_ATTRIBUTION = "Bundesnetzagentur, Ladesäulenregister (Juli 2019), CC BY 4.0"
DEMO_AUTHOR = "demo"
DEMO_QUESTION = "Wo fehlt ein Coworking-Space oder ein Mobilitätsangebot? (Demo)"
DEMO_ROUND_DAYS = 90


def _facts(name: str) -> pd.DataFrame:
    return pd.read_csv(FACTS_DIR / name, sep=";", comment="#", dtype=str, keep_default_na=False)


def _points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    geom = gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float), crs="EPSG:4326")
    return gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]), geometry=geom)


def _extract(layer: str) -> gpd.GeoDataFrame:
    return gpd.read_file(EXTRACT, layer=layer)


def municipalities() -> gpd.GeoDataFrame:
    """The 21 Gemeinden (BKG VG5000) with their official keys and rounded populations."""
    gdf = _extract("gemeinden")
    population = _facts("gemeinden.csv").set_index("ags")["population"].astype(int)
    gdf["EWZ"] = gdf["AGS"].map(population).astype("Int64")
    return gdf[["AGS", "ARS", "GEN", "BEZ", "EWZ", "geometry"]]


def stations() -> gpd.GeoDataFrame:
    """The district's DB stations (real), typed for the mobility indicators."""
    gdf = _extract("bahnhoefe")
    gdf.insert(0, "typ", "bahnhof")
    return gdf


def charging_points() -> gpd.GeoDataFrame:
    """The Bundesnetzagentur's charging points in the district (real, as of July 2019)."""
    gdf = _extract("ladepunkte")
    gdf.insert(0, "typ", "ladepunkt")
    gdf.insert(1, "name", gdf["betreiber"] + ", " + gdf["adresse"])
    return gdf


def offers(kind: str) -> gpd.GeoDataFrame:
    """Coworking spaces or mobility points from ``angebote.csv``."""
    df = _facts("angebote.csv")
    df = df[df["kind"] == kind].drop(columns=["kind"]).reset_index(drop=True)
    return _points(df)


def on_demand_zones(munis: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One on-demand shuttle area covering the western Börde municipalities."""
    members = ["Bördeaue", "Börde-Hakel", "Borne", "Wolmirsleben", "Egeln"]
    area = shapely.union_all(munis[munis["GEN"].isin(members)].geometry.values).buffer(-300)
    return gpd.GeoDataFrame(
        {
            "typ": ["rufbus"],
            "name": ["Rufbus Börde (Demo)"],
            "betreiber": ["Kreisverkehrsgesellschaft (Demo)"],
            "bedienzeit": ["Mo–Fr 6–20 Uhr, Sa 8–14 Uhr"],
        },
        geometry=[area],
        crs=METRIC_CRS,
    )


def events(today: date) -> gpd.GeoDataFrame:
    """Events dated relative to `today`, so the demo always has past and upcoming ones."""
    df = _facts("veranstaltungen.csv")
    starts = [
        datetime.combine(today + timedelta(days=int(d)), time.fromisoformat(t))
        for d, t in zip(df["tage"], df["beginn"], strict=True)
    ]
    ends = [s + timedelta(hours=float(h)) for s, h in zip(starts, df["dauer_h"], strict=True)]
    gdf = _points(df.drop(columns=["tage", "beginn", "dauer_h"]))
    gdf.insert(2, "beginn", pd.to_datetime(starts))
    gdf.insert(3, "ende", pd.to_datetime(ends))
    return gdf


def build_demo(store: Store, today: date | None = None) -> list[LayerInfo]:
    """Write the demo layers into `store` (existing ones get a new version) and make sure a
    demo participation round is open."""
    today = today or clock.today()
    munis = municipalities()
    mobility = {"name": "name", "category": "typ"}
    layers = [
        (munis, "Gemeinden Salzlandkreis", "municipalities", BKG_ATTRIBUTION,
         {"key": "AGS", "name": "GEN", "category": "BEZ", "population": "EWZ"}),
        (offers("coworking"), "Coworking-Spaces (Demo)", "coworking", ATTRIBUTION, mobility),
        (stations(), "Bahnhöfe (DB 2020)", "mobility", DB_ATTRIBUTION, mobility),
        (charging_points(), "Ladepunkte (Bundesnetzagentur 2019)", "mobility", BNETZA_ATTRIBUTION, mobility),
        (offers("mobility"), "Mobilitätsangebote (Demo)", "mobility", ATTRIBUTION, mobility),
        (on_demand_zones(munis), "Rufbus-Gebiete (Demo)", "mobility", ATTRIBUTION, mobility),
        (events(today), "Veranstaltungen (Demo)", "events", ATTRIBUTION,
         {"name": "titel", "category": "typ", "start": "beginn", "end": "ende"}),
    ]  # fmt: skip
    existing = {info.title: info for info in store.list_layers()}
    result = []
    for gdf, title, kind, attribution, roles in layers:
        if title in existing:  # rebuild: a new version, the old one stays restorable
            result.append(store.replace(existing[title].id, gdf, source_file="data/demo", author=DEMO_AUTHOR))
        else:
            result.append(
                store.write(
                    gdf,
                    title=title,
                    kind=kind,
                    source_file="data/demo",
                    attribution=attribution,
                    roles=roles,
                    author=DEMO_AUTHOR,
                )
            )
    demo_round(store, munis)
    return result


def demo_round(store: Store, munis: gpd.GeoDataFrame) -> None:
    """An open participation round over the district with a few example ideas, so the phone
    page works at once; a rebuild starts a new one only when no demo round is open."""
    now = clock.now()
    if any(r.question == DEMO_QUESTION and r.status(now) == "open" for r in store.list_rounds()):
        return
    bbox = tuple(float(v) for v in munis.to_crs("EPSG:4326").total_bounds)
    ideas = _facts("ideen.csv")
    rnd = store.create_round(
        new_round(DEMO_QUESTION, list(dict.fromkeys(ideas["kategorie"])), bbox,
                  now - timedelta(days=1), now + timedelta(days=DEMO_ROUND_DAYS)),
        author=DEMO_AUTHOR,
    )  # fmt: skip
    for i, idea in enumerate(ideas.itertuples()):
        store.contribute(
            rnd.id,
            lon=float(idea.lon),
            lat=float(idea.lat),
            category=idea.kategorie,
            text=idea.text,
            device=f"demo-device-{i:02d}",
            now=now - timedelta(hours=20 - i),
        )


def ensure_demo(store: Store) -> bool:
    """Build the demo store on first start: when it holds no layer at all (not even deleted
    ones) and no other process has claimed the job (several servers may start at once)."""
    if store.list_layers(include_deleted=True):
        return False
    if not store.claim_document("system", "demo", {"built": clock.today().isoformat()}, author=DEMO_AUTHOR):
        return False
    build_demo(store)
    return True
