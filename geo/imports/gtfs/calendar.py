"""Which GTFS services run on which day, and the reference week departures are counted for.

A service runs on a day when ``calendar.txt`` says so for that weekday within its start and
end date, plus the ``calendar_dates.txt`` additions (exception_type 1), minus its removals
(exception_type 2). The reference week is, among the first `CANDIDATE_WEEKS` full weeks
(Monday to Sunday) of the service period, the one with the most departures (ties: the
earliest), so that a holiday week with thinned-out service is not taken for a typical one.
Only those few weeks are expanded, so feeds valid "until 2099" cost no more than others.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from geo.imports.gtfs.feed import CAL_DAYS, Feed, dates, numbers

CANDIDATE_WEEKS = 8


def service_days(feed: Feed, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Boolean table, one row per service id, one column per day in `days`."""
    cal, cds = feed.calendar, feed.calendar_dates
    table = pd.DataFrame(False, index=pd.Index([], dtype=object), columns=days)
    if cal is not None and not cal.empty:
        start = dates(cal["start_date"], "calendar.txt", "start_date", feed.name).to_numpy()
        end = dates(cal["end_date"], "calendar.txt", "end_date", feed.name).to_numpy()
        flags = (cal[list(CAL_DAYS)] == "1").to_numpy()
        when = days.to_numpy()
        on = flags[:, days.day_of_week] & (start[:, None] <= when) & (when <= end[:, None])
        table = pd.DataFrame(on, index=cal["service_id"].to_numpy(), columns=days).groupby(level=0).any()
    if cds is not None and not cds.empty:
        day = dates(cds["date"], "calendar_dates.txt", "date", feed.name)
        kind = numbers(cds, "exception_type", "calendar_dates.txt", feed.name)
        table = table.reindex(table.index.union(pd.Index(cds["service_id"].unique())), fill_value=False)
        values = table.to_numpy(copy=True)
        inside = day.isin(days)
        for exception, runs in ((1, True), (2, False)):
            hit = inside & (kind == exception)
            values[table.index.get_indexer(cds.loc[hit, "service_id"]), days.get_indexer(day[hit])] = runs
        table = pd.DataFrame(values, index=table.index, columns=days)
    return table


def service_period(feed: Feed) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last day any service may run (calendar ranges and calendar_dates additions)."""
    starts, ends = [], []
    if feed.calendar is not None and not feed.calendar.empty:
        starts.append(dates(feed.calendar["start_date"], "calendar.txt", "start_date", feed.name).min())
        ends.append(dates(feed.calendar["end_date"], "calendar.txt", "end_date", feed.name).max())
    cds = feed.calendar_dates
    if cds is not None and not cds.empty:
        added = dates(cds["date"], "calendar_dates.txt", "date", feed.name)[cds["exception_type"] == "1"]
        if not added.empty:
            starts.append(added.min())
            ends.append(added.max())
    return (min(starts), max(ends)) if starts else None


def candidate_mondays(first: pd.Timestamp, last: pd.Timestamp) -> list[pd.Timestamp]:
    """Mondays of the first full weeks in [first, last]; else the week holding `first`."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    mondays = [monday + timedelta(weeks=k) for k in range(CANDIDATE_WEEKS)]
    full = [m for m in mondays if m + timedelta(days=6) <= last]
    return full or [first - timedelta(days=first.weekday())]


def reference_week(feed: Feed, per_service: pd.Series) -> tuple[pd.Timestamp, pd.DataFrame] | None:
    """Monday of the reference week and its service × weekday (0 = Monday) table.

    `per_service`: departures of one service day per service id, to find the busiest week.
    None when the feed has no service days at all.
    """
    period = service_period(feed)
    if period is None:
        return None
    mondays = candidate_mondays(*period)
    days = pd.DatetimeIndex([m + timedelta(days=d) for m in mondays for d in range(7)])
    table = service_days(feed, days)
    weight = per_service.reindex(table.index, fill_value=0.0).to_numpy(dtype=float)
    totals = (table.to_numpy() * weight[:, None]).sum(axis=0).reshape(len(mondays), 7).sum(axis=1)
    best = int(np.argmax(totals))  # the first of equal maxima: the earliest week
    week = table.iloc[:, best * 7 : best * 7 + 7]
    week.columns = range(7)
    return mondays[best], week
