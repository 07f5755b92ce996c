"""Demo data for the Salzlandkreis, generated from the facts in ``data/demo/``.

The facts (official AGS keys, rounded populations, town positions, invented offers and
events) are stated in small CSV files; everything else is derived here, deterministically:
municipal boundaries are Voronoi cells of the town positions clipped to a schematic district
outline, so they are labelled as demo geometry everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import geopandas as gpd
import pandas as pd
import shapely

from geo import clock
from geo.config import REPO_ROOT
from geo.store import LayerInfo, LayerStore, Store

FACTS_DIR = REPO_ROOT / "data" / "demo"
METRIC_CRS = "EPSG:25832"
ATTRIBUTION = "Demodaten (schematisch), erzeugt vom Smart-Region-Dashboard"
DEMO_AUTHOR = "demo"


def _facts(name: str) -> pd.DataFrame:
    return pd.read_csv(FACTS_DIR / name, sep=";", comment="#", dtype=str, keep_default_na=False)


def _points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    geom = gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float), crs="EPSG:4326")
    return gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]), geometry=geom)


def municipalities() -> gpd.GeoDataFrame:
    """Schematic municipalities: Voronoi cells of town centres inside a buffered hull."""
    towns = _points(_facts("gemeinden.csv")).to_crs(METRIC_CRS)
    outline = shapely.buffer(shapely.convex_hull(shapely.union_all(towns.geometry.values)), 6000)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(list(towns.geometry)), extend_to=outline)
    )
    tree = shapely.STRtree(cells)
    order = tree.query(towns.geometry.values, predicate="within")
    cell_of_town = dict(zip(order[0], order[1], strict=True))
    geoms = [shapely.intersection(cells[cell_of_town[i]], outline) for i in range(len(towns))]
    gdf = gpd.GeoDataFrame(
        {
            "AGS": towns["ags"],
            "GEN": towns["name"],
            "BEZ": towns["bez"],
            "EWZ": towns["population"].astype(int),
            "Hinweis": "Demogeometrie (schematisch)",
        },
        geometry=geoms,
        crs=METRIC_CRS,
    )
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


def build_demo(store: LayerStore, today: date | None = None) -> list[LayerInfo]:
    """Write the demo layers into `store`; existing demo layers get a new version."""
    today = today or clock.today()
    munis = municipalities()
    layers = [
        (
            munis,
            "Gemeinden Salzlandkreis (Demo)",
            "municipalities",
            {"key": "AGS", "name": "GEN", "category": "BEZ", "population": "EWZ"},
        ),
        (offers("coworking"), "Coworking-Spaces (Demo)", "coworking", {"name": "name", "category": "typ"}),
        (offers("mobility"), "Mobilitätsangebote (Demo)", "mobility", {"name": "name", "category": "typ"}),
        (on_demand_zones(munis), "Rufbus-Gebiete (Demo)", "mobility", {"name": "name", "category": "typ"}),
        (
            events(today),
            "Veranstaltungen (Demo)",
            "events",
            {"name": "titel", "category": "typ", "start": "beginn", "end": "ende"},
        ),
    ]
    existing = {info.title: info for info in store.list_layers()}
    result = []
    for gdf, title, kind, roles in layers:
        if title in existing:  # rebuild: a new version, the old one stays restorable
            result.append(store.replace(existing[title].id, gdf, source_file="data/demo", author=DEMO_AUTHOR))
        else:
            result.append(
                store.write(
                    gdf,
                    title=title,
                    kind=kind,
                    source_file="data/demo",
                    attribution=ATTRIBUTION,
                    roles=roles,
                    author=DEMO_AUTHOR,
                )
            )
    return result


def ensure_demo(store: Store) -> bool:
    """Build the demo store on first start: when it holds no layer at all (not even deleted
    ones) and no other process has claimed the job (several servers may start at once)."""
    if store.list_layers(include_deleted=True):
        return False
    if not store.claim_document("system", "demo", {"built": clock.today().isoformat()}, author=DEMO_AUTHOR):
        return False
    build_demo(store)
    return True
