"""Layer metadata as planners enter and edit it (title, kind, attribution, roles, style):
cleaned and checked before the store sees it, for the upload page, the manage page and the CLI.
"""

from __future__ import annotations

from geo.errors import GeoError
from geo.maps.display import KIND_COLOURS
from geo.store import KINDS, LayerInfo

MAX_TITLE_CHARS = 200
MAX_ATTRIBUTION_CHARS = 500


def clean_line(value: str, limit: int) -> str:
    """One line of printable text: uploads and form fields are untrusted."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())
    return text[:limit]


def shown_style(info: LayerInfo) -> dict[str, str]:
    """The style the map uses: the stored one, completed by the kind's colour and a circle."""
    style = {"colour": KIND_COLOURS.get(info.kind, "#009E73"), "symbol": "circle"}
    style.update({key: value for key, value in info.style.items() if value})
    return style


def metadata_changes(
    info: LayerInfo,
    title: str,
    kind: str,
    attribution: str,
    roles: dict[str, str],
    style: dict[str, str],
) -> dict[str, object]:
    """The metadata fields that differ from `info`, cleaned; empty choices are dropped.

    Raises `GeoError` when nothing changed (``err.metadata_unchanged``) or the title is empty,
    so the store and its audit log only see real changes.
    """
    wanted = {
        "title": clean_line(title, MAX_TITLE_CHARS),
        "kind": kind,
        "attribution": clean_line(attribution, MAX_ATTRIBUTION_CHARS),
        "roles": {r: c for r, c in roles.items() if c},
        "style": {key: value for key, value in style.items() if value},
    }
    if not wanted["title"]:
        raise GeoError("err.upload_title_missing")
    if kind not in KINDS:
        raise GeoError("err.bad_kind", kind=kind, allowed=", ".join(KINDS))
    current = {name: getattr(info, name) for name in wanted} | {"style": shown_style(info)}
    changes = {name: value for name, value in wanted.items() if value != current[name]}
    if not changes:
        raise GeoError("err.metadata_unchanged", layer_id=info.id)
    return changes
