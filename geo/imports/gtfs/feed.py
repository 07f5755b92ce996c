"""Reading a GTFS feed's tables: required files and columns checked, values validated.

Every table is read as text (ids stay ids: "007" is not 7), with the BOM removed, cells and
header names stripped, only the columns we use kept (stop_times.txt can have millions of
rows). A missing file or column, or a value that is not what the GTFS reference says, is a
`GeoError` naming the file, the column and an example, so the planner can fix the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import UnreadableFileError
from geo.i18n import Msg

TABLES = (
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "frequencies.txt",
    "feed_info.txt",
)
CAL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STOP_COLUMNS = ("stop_name", "stop_lat", "stop_lon", "location_type", "parent_station")
_NUMBER = "0, 1, 2, …"


@dataclass
class Feed:
    """The tables we use, as text columns; the optional ones may be None."""

    name: str  # the user's file name, for messages
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame | None
    calendar_dates: pd.DataFrame | None
    frequencies: pd.DataFrame | None
    attribution: str


def read_feed(folder: Path, name: str) -> Feed:
    """All tables the stops layer needs; calendar.txt or calendar_dates.txt must exist."""
    stops = read_table(folder, "stops.txt", name, ("stop_id",), STOP_COLUMNS)
    routes = read_table(
        folder, "routes.txt", name, ("route_id", "route_type"), ("route_short_name", "route_long_name")
    )
    trips = read_table(folder, "trips.txt", name, ("route_id", "service_id", "trip_id"))
    stop_times = read_table(
        folder, "stop_times.txt", name, ("trip_id", "stop_id", "stop_sequence"), ("pickup_type",)
    )
    calendar = read_table(
        folder, "calendar.txt", name, ("service_id", *CAL_DAYS, "start_date", "end_date"), required_file=False
    )
    dates = read_table(
        folder, "calendar_dates.txt", name, ("service_id", "date", "exception_type"), required_file=False
    )
    if calendar is None and dates is None:
        raise UnreadableFileError("err.gtfs_missing_file", name=name, file="calendar.txt")
    freqs = read_table(
        folder,
        "frequencies.txt",
        name,
        ("trip_id", "start_time", "end_time", "headway_secs"),
        required_file=False,
    )
    attribution = _attribution(folder, name)
    return Feed(name, stops, routes, trips, stop_times, calendar, dates, freqs, attribution)


def _find(folder: Path, file: str) -> Path | None:
    return next((p for p in folder.iterdir() if p.name.lower() == file and p.is_file()), None)


def _read_csv(path: Path, wanted: set[str], name: str, file: str) -> pd.DataFrame:
    """The CSV as text; UTF-8 (with or without BOM) as GTFS requires, else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                index_col=False,  # a first row with extra fields must not become the index
                usecols=lambda c: str(c).strip() in wanted,
            )
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        except pd.errors.ParserError as exc:
            raise UnreadableFileError("err.gtfs_bad_csv", detail=str(exc), name=name, file=file) from None
    raise UnreadableFileError("err.gtfs_bad_csv", detail="encoding", name=name, file=file)


def read_table(
    folder: Path,
    file: str,
    name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    required_file: bool = True,
) -> pd.DataFrame | None:
    """One table as stripped text; optional columns the file lacks are empty."""
    path = _find(folder, file)
    if path is None:
        if required_file:
            raise UnreadableFileError("err.gtfs_missing_file", name=name, file=file)
        return None
    wanted = {*required, *optional}
    df = _read_csv(path, wanted, name, file)
    df.columns = [str(c).strip() for c in df.columns]
    df = df.loc[:, ~df.columns.duplicated()]
    missing = [c for c in required if c not in df.columns]
    if missing:
        cols = tuple(Msg("fmt.quoted", text=c) for c in missing)
        raise UnreadableFileError("err.gtfs_missing_columns", name=name, file=file, columns=cols)
    for col in wanted:
        df[col] = df[col].str.strip() if col in df.columns else ""
    return df


def _attribution(folder: Path, name: str) -> str:
    """Who publishes the timetable: feed publisher, else the agencies."""
    names: list[str] = []
    for file, col in (("feed_info.txt", "feed_publisher_name"), ("agency.txt", "agency_name")):
        table = read_table(folder, file, name, (), (col,), required_file=False)
        if table is not None:
            names += [n for n in table[col].unique() if n and n not in names]
    return f"Fahrplandaten: {', '.join(names[:5])} (GTFS)" if names else "Fahrplandaten (GTFS)"


def bad_values(feed: str, file: str, column: str, values: pd.Series, expected: str) -> UnreadableFileError:
    """The error for `values` (the offending cells) in `file`'s `column`."""
    example = str(values.iloc[0])[:40] or "–"
    return UnreadableFileError(
        "err.gtfs_bad_values",
        name=feed,
        file=file,
        column=column,
        n=len(values),
        example=example,
        expected=expected,
    )


def numbers(df: pd.DataFrame, col: str, file: str, feed: str, default: float | None = None) -> pd.Series:
    """A numeric column; empty cells take `default` (an error when None), text is an error."""
    values = pd.to_numeric(df[col].replace("", np.nan), errors="coerce")
    bad = values.isna() & (df[col] != "") if default is not None else values.isna()
    if bad.any():
        raise bad_values(feed, file, col, df.loc[bad, col], _NUMBER)
    return values.fillna(default) if default is not None else values


def seconds(df: pd.DataFrame, col: str, file: str, feed: str) -> pd.Series:
    """``H:MM:SS`` as seconds since the service day began (hours may exceed 24)."""
    parts = df[col].str.split(":", expand=True)
    if parts.shape[1] != 3:
        secs = pd.Series(np.nan, index=df.index)
    else:
        hms = [pd.to_numeric(parts[i], errors="coerce") for i in range(3)]
        secs = hms[0] * 3600 + hms[1] * 60 + hms[2]
    if secs.isna().any():
        raise bad_values(feed, file, col, df.loc[secs.isna(), col], "HH:MM:SS")
    return secs


def dates(values: pd.Series, file: str, column: str, feed: str) -> pd.Series:
    """``YYYYMMDD`` dates as timestamps."""
    parsed = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
    if parsed.isna().any():
        raise bad_values(feed, file, column, values[parsed.isna()], "YYYYMMDD")
    return parsed
