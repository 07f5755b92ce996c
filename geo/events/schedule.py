"""Events of a layer: times in Europe/Berlin, upcoming and past, months, a weekly timeline.

An events layer names its start (and optionally end) column by role; title, type, venue,
organiser and link come from the name/category roles and from well-known column names.
Values without a time zone are local time in Europe/Berlin, as planners enter them.
Everything here is pure; the page only draws what these functions return.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import altair as alt
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.i18n import format_date, format_day, format_month, format_time, t
from geo.maps.details import format_value
from geo.maps.display import category_column, name_column
from geo.store import LayerInfo

TZ = ZoneInfo("Europe/Berlin")
VENUE_COLUMNS = ("ort", "venue", "location", "veranstaltungsort", "adresse", "address", "place")
ORGANISER_COLUMNS = ("veranstalter", "organiser", "organizer", "organisator", "traeger", "träger")
LINK_COLUMNS = ("link", "url", "website", "webseite", "homepage", "internet")
COLUMNS = ("fid", "title", "category", "start", "end", "venue", "organiser", "link", "lat", "lon")
_GERMAN_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")


def berlin_times(values: pd.Series) -> pd.Series:
    """Timestamps in Europe/Berlin; naive values count as local time, unreadable ones are NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        if values.dt.tz is not None:
            return values.dt.tz_convert(TZ)
        return values.dt.tz_localize(TZ, ambiguous=np.zeros(len(values), bool), nonexistent="shift_forward")
    return pd.Series([_one_time(v) for v in values], index=values.index, dtype=f"datetime64[ns, {TZ.key}]")


def _one_time(value: object) -> pd.Timestamp:
    """One value of a text or mixed column; German "31.12.2025 18:00" is read day first."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return pd.NaT
    try:
        if isinstance(value, (datetime, date)):
            stamp = pd.Timestamp(value)
        else:
            text = str(value).strip()
            stamp = pd.to_datetime(text, dayfirst=True) if _GERMAN_DATE.match(text) else pd.Timestamp(text)
    except (ValueError, OverflowError):
        return pd.NaT
    if pd.isna(stamp):
        return pd.NaT
    if stamp.tzinfo is None:
        return stamp.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward")
    return stamp.tz_convert(TZ)


def _column(gdf: gpd.GeoDataFrame, candidates: tuple[str, ...]) -> str | None:
    by_lower = {str(c).casefold(): c for c in gdf.columns if c != gdf.geometry.name}
    return next((by_lower[c] for c in candidates if c in by_lower), None)


def _text(gdf: gpd.GeoDataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series("", index=gdf.index, dtype=object)
    return gdf[column].map(
        lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
    )


def event_table(gdf: gpd.GeoDataFrame, info: LayerInfo) -> gpd.GeoDataFrame:
    """One row per dated event, sorted by start: `COLUMNS` plus a lon/lat point geometry.

    `gdf` is the whole layer as the store returns it: ``fid`` is the row position, the same
    as in the map's display frame. Rows without a readable start are left out.
    """
    start_col, end_col = info.roles.get("start"), info.roles.get("end")
    if start_col not in gdf.columns or gdf.empty:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=[], crs="EPSG:4326")
    start = berlin_times(gdf[start_col])
    if end_col in gdf.columns:
        end = berlin_times(gdf[end_col])
    else:
        end = pd.Series(pd.NaT, index=gdf.index, dtype=start.dtype)
    end = end.where(end > start)  # an end before the start is no end
    lonlat = gdf.to_crs("EPSG:4326") if gdf.crs and gdf.crs != "EPSG:4326" else gdf
    points = lonlat.geometry.representative_point()
    frame = gpd.GeoDataFrame(
        {
            "fid": np.arange(len(gdf)),
            "title": _text(gdf, name_column(info, gdf)).to_numpy(),
            "category": _text(gdf, category_column(info, gdf)).to_numpy(),
            "start": start.array,
            "end": end.array,
            "venue": _text(gdf, _column(gdf, VENUE_COLUMNS)).to_numpy(),
            "organiser": _text(gdf, _column(gdf, ORGANISER_COLUMNS)).to_numpy(),
            "link": _text(gdf, _column(gdf, LINK_COLUMNS)).to_numpy(),
            "lat": points.y.to_numpy(),
            "lon": points.x.to_numpy(),
        },
        geometry=points.to_numpy(),
        crs="EPSG:4326",
    )
    frame = frame[frame["start"].notna()]
    return frame.sort_values(["start", "fid"], kind="stable").reset_index(drop=True)


def _ends(events: pd.DataFrame) -> pd.Series:
    return events["end"].fillna(events["start"])


def _as_berlin(now: datetime | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(now)
    return stamp.tz_localize(TZ) if stamp.tzinfo is None else stamp.tz_convert(TZ)


def split_upcoming(events: pd.DataFrame, now: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(upcoming, past) at `now`: running events count as upcoming; the past newest first."""
    ended = _ends(events) < _as_berlin(now)
    return events[~ended], events[ended].sort_values(["start", "fid"], ascending=False)


def in_period(events: pd.DataFrame, date_from: date | None, date_to: date | None) -> np.ndarray:
    """Events overlapping the days [date_from, date_to] (Berlin time); None is open."""
    keep = np.ones(len(events), dtype=bool)
    if date_to is not None:
        keep &= (events["start"] < pd.Timestamp(date_to + timedelta(days=1)).tz_localize(TZ)).to_numpy()
    if date_from is not None:
        keep &= (_ends(events) >= pd.Timestamp(date_from).tz_localize(TZ)).to_numpy()
    return keep


def period_bounds(events: pd.DataFrame, today: date, ahead_days: int = 90) -> tuple[date, date]:
    """Range for a date slider: all events, and today to `ahead_days` ahead."""
    lo, hi = today, today + timedelta(days=ahead_days)
    if len(events):
        lo = min(lo, events["start"].min().date())
        hi = max(hi, _ends(events).max().date())
    return lo, hi


def month_label(stamp: pd.Timestamp, lang: str = "de") -> str:
    """ "März 2025" / "March 2025"."""
    return format_month(stamp, lang)


def by_month(events: pd.DataFrame, lang: str = "de") -> list[tuple[str, pd.DataFrame]]:
    """Consecutive groups by the month the event starts in, keeping the order of `events`."""
    if events.empty:
        return []
    keys = events["start"].dt.year * 100 + events["start"].dt.month
    run = (keys != keys.shift()).cumsum()
    return [
        (month_label(group["start"].iloc[0], lang), group) for _, group in events.groupby(run, sort=False)
    ]


def timeline(events: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Events per week, every week from the first to the last: week (its Monday), past, upcoming."""
    if events.empty:
        return pd.DataFrame({"week": [], "past": [], "upcoming": []})
    days = events["start"].dt.tz_localize(None).dt.normalize()
    mondays = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    ended = (_ends(events) < _as_berlin(now)).to_numpy()
    table = pd.DataFrame(
        {"week": mondays.to_numpy(), "past": ended.astype(int), "upcoming": (~ended).astype(int)}
    )
    counts = table.groupby("week").sum()
    every = pd.date_range(counts.index.min(), counts.index.max(), freq="7D", name="week")
    counts = counts.reindex(every, fill_value=0).reset_index()
    counts["week"] = counts["week"].dt.date
    return counts


def timeline_chart(events: pd.DataFrame, now: datetime, lang: str = "de") -> alt.Chart:
    """Stacked weekly bars, past grey and upcoming in the events' colour, labelled in `lang`."""
    week, count = t("ui.events.week", lang), t("ui.events.count", lang)
    status = {"past": t("ui.events.status_past", lang), "upcoming": t("ui.events.status_upcoming", lang)}
    data = timeline(events, now).melt("week", var_name="status", value_name=count)
    data["status"] = data["status"].map(status)
    data[week] = data.pop("week").map(lambda d: format_date(d, lang, "short"))
    colours = alt.Scale(domain=list(status.values()), range=["#8c8c8c", "#b33f00"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{week}:O", sort=None, title=week, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(f"{count}:Q", stack=True, title=count, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", scale=colours, title=None, legend=alt.Legend(orient="top")),
            tooltip=[week, count],
        )
    )


def is_all_day(start: pd.Timestamp, end: pd.Timestamp | None) -> bool:
    """Dates without a time (midnight start, and midnight or no end) are whole days."""
    midnight = (start.hour, start.minute, start.second) == (0, 0, 0)
    return midnight and (end is None or pd.isna(end) or (end.hour, end.minute, end.second) == (0, 0, 0))


def when_text(start: pd.Timestamp, end: pd.Timestamp | None, lang: str = "de") -> str:
    """ "Sa., 15. März 2025, 18:00–20:00 Uhr" (German) or "Sat, 15 Mar 2025, 18:00–20:00"."""
    if end is not None and pd.isna(end):
        end = None
    if is_all_day(start, end):
        last = None if end is None else end - timedelta(minutes=1)
        if last is None or last.date() == start.date():
            return format_day(start, lang)
        return t("ui.events.span", lang, start=format_day(start, lang), end=format_day(last, lang))
    if end is None:
        return t("ui.events.at", lang, day=format_day(start, lang), time=format_time(start, lang))
    if end.date() == start.date():
        times = t("ui.events.span_times", lang, start=format_time(start, lang), end=format_time(end, lang))
        return t("ui.events.at", lang, day=format_day(start, lang), time=times)
    first = t("ui.events.at", lang, day=format_day(start, lang), time=format_time(start, lang))
    last = t("ui.events.at", lang, day=format_day(end, lang), time=format_time(end, lang))
    return t("ui.events.span", lang, start=first, end=last)


def _line(text: str) -> str:
    """Escaped and on one line: the markup must not contain blank lines (Markdown would parse it)."""
    return html.escape(" ".join(str(text).split()))


def event_html(event: pd.Series, lang: str = "de") -> str:
    """One event as safe HTML: every value escaped, only http(s) links clickable."""
    rows = [(t("ui.events.when", lang), _line(when_text(event["start"], event["end"], lang)))]
    for key, field in (("where", "venue"), ("kind", "category"), ("organiser", "organiser")):
        if event[field]:
            rows.append((t(f"ui.events.{key}", lang), _line(event[field])))
    if event["link"]:
        rows.append((t("ui.events.link", lang), format_value(" ".join(event["link"].split()), lang)))
    cells = "".join(f"<tr><th scope='row'>{_line(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f"<div class='sr-event'><strong>{_line(event['title'] or '–')}</strong><table>{cells}</table></div>"
    )


EVENT_CSS = """
<style>
.sr-event { margin: 0 0 0.9rem 0; }
.sr-event table { border: none; margin: 0.2rem 0 0 0; font-size: 0.95em; }
.sr-event th, .sr-event td { border: none; padding: 0 0.8rem 0 0; vertical-align: top; text-align: left; }
.sr-event th { color: #3d3d3d; font-weight: 600; white-space: nowrap; }
</style>
"""
