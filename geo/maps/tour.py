"""Guided tours for forums: ordered stations, each a prepared map view with a short text.

A station's view is stored as the same query parameters the explorer's permalink uses, so
a planner can take any view from the map ("Teilen" link) and every station has a link the
audience can open on their phones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit

from geo.errors import GeoError
from geo.maps.filters import Filters
from geo.maps.permalink import ViewState, from_params, to_params

DOCUMENT_KIND = "tour"
DEFAULT_TOUR = "forum"
MAX_TITLE = 80
MAX_TEXT = 400


@dataclass(frozen=True)
class Station:
    title: str
    text: str = ""
    params: dict[str, str] = field(default_factory=dict)  # permalink query parameters

    @property
    def view(self) -> ViewState:
        return from_params(self.params)

    def filters(self, today: date) -> Filters:
        """What the station shows: its view's filters; events only from `today` on unless the
        station names a period (an audience is invited to what is still to come)."""
        view = self.view
        dated = view.date_from is not None or view.date_to is not None
        return Filters(view.categories, view.municipalities, view.date_from if dated else today, view.date_to)


@dataclass(frozen=True)
class Tour:
    name: str
    stations: tuple[Station, ...] = ()

    def to_dict(self) -> dict:
        return {"name": self.name, "stations": [asdict(s) for s in self.stations]}

    @classmethod
    def from_dict(cls, data: dict) -> Tour:
        stations = tuple(
            Station(
                str(s.get("title", "")),
                str(s.get("text", "")),
                params_from_view(from_params(s.get("params", {}))),
            )
            for s in data.get("stations", [])
        )
        return cls(str(data.get("name", DEFAULT_TOUR)), stations)


def params_from_view(view: ViewState) -> dict[str, str]:
    """Normalised parameters (checked, defaults dropped); the language is the presenter's."""
    params = to_params(view)
    params.pop("lang", None)
    return params


def params_from_link(link: str) -> dict[str, str]:
    """The view in a permalink such as ``https://host/?layers=…&z=11``."""
    query = urlsplit(link.strip()).query if "?" in link else link.strip().lstrip("?")
    return params_from_view(from_params(dict(parse_qsl(query))))


def make_station(title: str, text: str, params: dict[str, str]) -> Station:
    """A checked station: a title is required, texts stay short enough for a projector."""
    title, text = title.strip(), text.strip()
    if not title:
        raise GeoError("err.station_title")
    if len(title) > MAX_TITLE or len(text) > MAX_TEXT:
        raise GeoError("err.station_too_long", max_title=MAX_TITLE, max_text=MAX_TEXT)
    return Station(title, text, params_from_view(from_params(params)))


def move(stations: tuple[Station, ...], index: int, offset: int) -> tuple[Station, ...]:
    """Stations with the one at `index` moved by `offset` places (clamped)."""
    items = list(stations)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    return tuple(items)


def station_link(base_url: str, station: Station, lang: str = "de") -> str:
    """The explorer URL that opens the station's view (for the QR code)."""
    return f"{base_url.rstrip('/')}/?{urlencode({**station.params, 'lang': lang})}"


def demo_tour(layer_ids: dict[str, list[str]]) -> Tour:
    """A starter tour over the demo layers (kind -> ids of the layers of that kind).

    One layer each of municipalities, coworking and events; the mobility station shows every
    mobility layer (stations, charging points, offers, on-demand zones) together."""
    munis, cowork, events = (layer_ids.get(k, [])[:1] for k in ("municipalities", "coworking", "events"))
    mobility = layer_ids.get("mobility", [])
    base = {"basemap": "none"}

    def view(*groups: list[str], **extra: str) -> dict[str, str]:
        return {**base, "layers": ",".join(i for ids in groups for i in ids), **extra}

    return Tour(
        DEFAULT_TOUR,
        (
            Station("Unser Landkreis", "21 Gemeinden, ein gemeinsamer Weg zur Smart Region.", view(munis)),
            Station(
                "Arbeiten auf dem Land",
                "Coworking-Spaces bringen Arbeitsplätze in die Orte.",
                view(munis, cowork),
            ),
            Station(
                "Mobil ohne eigenes Auto",
                "Bahn, Bus, Rufbus, Carsharing und Leihräder.",
                view(munis, mobility),
            ),
            Station("Mitreden", "Kommende Veranstaltungen: kommen Sie vorbei!", view(munis, events)),
        ),
    )
