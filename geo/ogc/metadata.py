"""A collection's metadata as a DCAT-AP.de record (JSON-LD), linked from the collection.

DCAT-AP.de is what GovData and the Länder's open-data portals harvest; its
``dcatde:licenseAttributionByText`` carries the attribution text a licence such as
dl-de/by-2-0 asks for. The record names the service's items as two distributions (GeoJSON,
and the OGC API as access service), so a portal links straight to the data.
"""

from __future__ import annotations

from geo.ogc.collections import Published, licence, published
from geo.store import Store

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "locn": "http://www.w3.org/ns/locn#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
OGC_API_FEATURES = "http://www.opengis.net/def/interface/ogcapi-features"


def _wkt_box(bbox: tuple[float, float, float, float]) -> str:
    minx, miny, maxx, maxy = bbox
    return f"POLYGON(({minx} {miny},{maxx} {miny},{maxx} {maxy},{minx} {maxy},{minx} {miny}))"


def record(item: Published, base_url: str) -> dict:
    """The DCAT-AP.de dataset of one published collection."""
    collection_url = f"{base_url}/collections/{item.id}"
    named = licence(item.attribution)
    licence_ref = {"dct:license": {"@id": named[1]}} if named else {}
    distribution = [
        {
            "@type": "dcat:Distribution",
            "dct:title": "GeoJSON",
            "dcat:accessURL": {"@id": f"{collection_url}/items?f=json"},
            "dcat:mediaType": "application/geo+json",
            **licence_ref,
        },
        {
            "@type": "dcat:Distribution",
            "dct:title": "OGC API – Features",
            "dcat:accessURL": {"@id": base_url},
            "dct:conformsTo": {"@id": OGC_API_FEATURES},
            **licence_ref,
        },
    ]
    return {
        "@context": CONTEXT,
        "@id": collection_url,
        "@type": "dcat:Dataset",
        "dct:identifier": item.id,
        "dct:title": item.title,
        "dct:description": f"{item.title} ({item.kind})",
        "dct:modified": {"@value": item.updated_at, "@type": "xsd:dateTime"},
        "dcat:keyword": [item.kind],
        "dct:spatial": {"@type": "dct:Location", "locn:geometry": _wkt_box(item.bbox)},
        "dcatde:licenseAttributionByText": item.attribution,
        **licence_ref,
        "dcat:distribution": distribution,
    }


def dcat_record(store: Store, collection_id: str, base_url: str) -> dict | None:
    """The record of `collection_id`, or None when the service does not publish it."""
    item = next((p for p in published(store) if p.id == collection_id), None)
    return None if item is None else record(item, base_url.rstrip("/"))
