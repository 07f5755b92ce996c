"""What every backend enforces the same way: layer kinds and roles, ids, document names.

Kept apart from the backends so that a layer stored in GeoPackage today and in PostGIS
tomorrow gets the same id from the same title, and the same input is refused the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata

from geo.errors import GeoError

KINDS = ("municipalities", "coworking", "mobility", "events", "other")

# Column roles a layer may carry: which attribute holds the name, the category, …
ROLES = ("name", "category", "key", "population", "start", "end")

METADATA_FIELDS = ("title", "kind", "attribution", "roles", "style")

_LAYER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_DOCUMENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_SLUG_MAX = 40


def slugify(title: str) -> str:
    """ASCII id part from a title: "Bahnhöfe Süd" → "bahnhoefe-sued"; "layer" if nothing is left."""
    text = unicodedata.normalize("NFKD", title.translate(_UMLAUTS)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:_SLUG_MAX].rstrip("-") or "layer"


def unique_id(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`, … whichever is not in `taken`."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def valid_layer_id(layer_id: object) -> bool:
    """Ids come from URLs and forms: anything but a slug is simply not found."""
    return bool(_LAYER_ID.fullmatch(str(layer_id)))


def check_kind(kind: object) -> None:
    if kind not in KINDS:
        raise GeoError("err.bad_kind", kind=kind, allowed=", ".join(KINDS))


def check_roles(roles: object) -> dict[str, str]:
    """Roles are chosen from a fixed list by code, so a wrong one is a programming error."""
    roles = dict(roles or {})
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; allowed: {ROLES}")
    return {str(k): str(v) for k, v in roles.items()}


def check_metadata(changes: dict[str, object]) -> None:
    """Only the known metadata fields, a known kind and known roles."""
    unknown = set(changes) - set(METADATA_FIELDS)
    if unknown:
        raise ValueError(f"unknown metadata fields {sorted(unknown)}; allowed: {METADATA_FIELDS}")
    if "kind" in changes:
        check_kind(changes["kind"])
    if "roles" in changes:
        check_roles(changes["roles"])


def check_document_name(kind: str, name: str) -> None:
    """Document kinds and names are short ASCII slugs (they end up in URLs and the audit log)."""
    if not (_DOCUMENT_NAME.fullmatch(str(kind)) and _DOCUMENT_NAME.fullmatch(str(name))):
        raise GeoError("err.document_name", name=name)


def merged_metadata(row, changes: dict[str, object]) -> dict[str, str]:
    """The layer's stored metadata fields (`row`) with checked `changes` applied, as stored text."""
    merged = {key: row[key] for key in METADATA_FIELDS}
    merged.update({key: str(changes[key]) for key in ("title", "kind", "attribution") if key in changes})
    if "roles" in changes:
        merged["roles"] = json.dumps(check_roles(changes["roles"]))
    if "style" in changes:
        merged["style"] = json.dumps(dict(changes["style"] or {}))
    return merged
