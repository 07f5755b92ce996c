"""Events as an iCalendar file (RFC 5545) for Outlook, Thunderbird, Apple and Google calendars.

Times carry ``TZID=Europe/Berlin`` with a matching VTIMEZONE, so an event at 18:00 stays at
18:00 local time on both sides of a daylight-saving switch. UIDs are stable per layer,
feature and start, so importing an updated file updates events instead of duplicating them.
Texts come from uploads and are untrusted: the `icalendar` package escapes them and folds
long lines (by octets, never inside an umlaut); control characters are removed first.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pandas as pd
from icalendar import Calendar, Event

from geo import clock
from geo.events.schedule import TZ, is_all_day
from geo.i18n import t
from geo.store import LayerInfo

PRODID = "-//Smart-Region Dashboard//Veranstaltungen//DE"
UID_DOMAIN = "smart-region-dashboard"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def clean(text: object) -> str:
    """Text without control characters (RFC 5545 forbids them), newlines kept."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()


def event_uid(layer_id: str, fid: int, start: pd.Timestamp) -> str:
    """The same event (layer, feature, start) always gets the same UID."""
    safe = re.sub(r"[^A-Za-z0-9-]", "-", layer_id)
    return f"{safe}-{int(fid)}-{start.tz_convert(TZ):%Y%m%dT%H%M%S}@{UID_DOMAIN}"


def _description(event: pd.Series, lang: str) -> str:
    lines = [
        f"{t(f'ui.events.{key}', lang)}: {clean(event[field])}"
        for key, field in (("kind", "category"), ("organiser", "organiser"), ("link", "link"))
        if clean(event[field])
    ]
    return "\n".join(lines)


def _vevent(event: pd.Series, info: LayerInfo, lang: str, stamp: datetime) -> Event:
    start = event["start"]
    end = None if pd.isna(event["end"]) else event["end"]
    vevent = Event()
    vevent.add("uid", event_uid(info.id, event["fid"], start))
    vevent.add("dtstamp", stamp)
    if is_all_day(start, end):
        vevent.add("dtstart", start.date())
        vevent.add("dtend", (end if end is not None else start + timedelta(days=1)).date())
    else:
        vevent.add("dtstart", start.tz_convert(TZ).to_pydatetime())
        if end is not None:
            vevent.add("dtend", end.tz_convert(TZ).to_pydatetime())
    vevent.add("summary", clean(event["title"]) or info.title)
    if clean(event["venue"]):
        vevent.add("location", clean(event["venue"]))
    if description := _description(event, lang):
        vevent.add("description", description)
    if clean(event["category"]):
        vevent.add("categories", [clean(event["category"])])
    if pd.notna(event["lat"]) and pd.notna(event["lon"]):
        vevent.add("geo", (round(float(event["lat"]), 6), round(float(event["lon"]), 6)))
    if _URL.match(clean(event["link"])):
        vevent.add("url", clean(event["link"]))
    return vevent


def to_ical(events: pd.DataFrame, info: LayerInfo, lang: str = "de", stamp: datetime | None = None) -> bytes:
    """The events (rows of `geo.events.schedule.event_table`) of layer `info` as an .ics file."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean(info.title))
    cal.add("x-wr-timezone", TZ.key)
    stamp = stamp or clock.now().replace(microsecond=0)
    for _, event in events.iterrows():
        cal.add_component(_vevent(event, info, lang, stamp))
    if len(events):
        first = events["start"].min().date() - timedelta(days=1)
        last = events["end"].fillna(events["start"]).max().date() + timedelta(days=1)
        cal.add_missing_timezones(first_date=first, last_date=max(last, first + timedelta(days=366)))
    return cal.to_ical()
