"""Numbers, dates and plurals for people: German de_DE and English en_GB, by Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import numpy as np
import pandas as pd
import pytest

from geo import i18n
from geo.i18n import Msg, t, tn
from geo.i18n.catalogs import message_key, read_catalog
from geo.maps.details import format_value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "digits", "de", "en"),
    [
        (30700, 0, "30.700", "30,700"),
        (1234, 0, "1.234", "1,234"),
        (5.0, 1, "5,0", "5.0"),
        (12345.678, 1, "12.345,7", "12,345.7"),
        (-0.35, 2, "-0,35", "-0.35"),
        (np.int64(10997), 0, "10.997", "10,997"),
        (np.float32(2.5), 1, "2,5", "2.5"),
        (0.5, 0, "0", "0"),  # half to even, as Babel rounds
    ],
)
def test_format_number(value, digits, de, en):
    assert i18n.format_number(value, "de", digits) == de
    assert i18n.format_number(value, "en", digits) == en


def test_format_number_trims_to_min_digits_and_shows_missing_as_dash():
    assert i18n.format_number(2.5, "de", 2, min_digits=0) == "2,5"
    assert i18n.format_number(3.0, "de", 2, min_digits=0) == "3"
    assert [i18n.format_number(v, "de") for v in (None, float("nan"), np.inf, pd.NA, "abc")] == ["–"] * 5
    assert i18n.format_number("12", "en") == "12"


def test_format_percent():
    assert i18n.format_percent(0.4567, "de") == f"45,7{NBSP}%"
    assert i18n.format_percent(0.4567, "en") == "45.7%"
    assert i18n.format_percent(1, "de", digits=0) == f"100{NBSP}%"
    assert i18n.format_percent(None, "en") == "–"


def test_format_date_and_time():
    day = date(2026, 11, 27)
    assert (i18n.format_date(day, "de"), i18n.format_date(day, "en")) == ("27.11.2026", "27 Nov 2026")
    short = (i18n.format_date(day, "de", "short"), i18n.format_date(day, "en", "short"))
    assert short == ("27.11.26", "27/11/2026")
    assert i18n.format_date(pd.NaT, "de") == i18n.format_date(None, "en") == "–"
    assert i18n.format_time(time(9, 5), "en") == "09:05"


@pytest.mark.parametrize(
    ("utc", "de", "en"),
    [
        (datetime(2026, 11, 27, 13, 30, tzinfo=UTC), "27.11.2026, 14:30", "27 Nov 2026, 14:30"),  # CET
        (datetime(2026, 7, 1, 22, 15, tzinfo=UTC), "02.07.2026, 00:15", "2 Jul 2026, 00:15"),  # CEST
    ],
)
def test_format_datetime_in_berlin_time(utc, de, en):
    assert i18n.format_datetime(utc, "de") == de and i18n.format_datetime(utc, "en") == en
    assert i18n.format_date(utc, "de") == de.split(",")[0]


def test_format_datetime_with_seconds_and_naive_local_times():
    naive = datetime(2025, 3, 15, 18, 0, 5)
    assert i18n.format_datetime(naive, "de", seconds=True) == "15.03.2025, 18:00:05"
    assert i18n.format_datetime(pd.Timestamp(naive), "en") == "15 Mar 2025, 18:00"


def test_month_and_weekday_names_come_from_babel():
    march = pd.Timestamp("2025-03-15 18:00", tz="Europe/Berlin")
    assert (i18n.format_month(march, "de"), i18n.format_month(march, "en")) == ("März 2025", "March 2025")
    days = (i18n.format_day(march, "de"), i18n.format_day(march, "en"))
    assert days == ("Sa., 15. März 2025", "Sat, 15 Mar 2025")


def test_moment_format_for_the_date_slider_matches_format_date():
    assert i18n.moment_date_format("de") == "DD.MM.YYYY"
    assert i18n.moment_date_format("en") == "D MMM YYYY"


# --- plurals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "de", "en"),
    [
        (0, "0 Objekte", "0 features"),
        (1, "1 Objekt", "1 feature"),
        (2, "2 Objekte", "2 features"),
        (30700, "30.700 Objekte", "30,700 features"),
    ],
)
def test_plural_forms(n, de, en):
    assert tn("ui.features", n, "de") == de and tn("ui.features", n, "en") == en
    assert t("ui.features", "de", n=n) == de  # t() takes a plural's count as n
    assert Msg("ui.features", n=n).render("en") == en


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_plural_entry_has_a_distinct_singular(lang):
    same = [message_key(m) for m in read_catalog(lang) if m.pluralizable and m.string[0] == m.string[1]]
    assert not same


def test_plural_counts_in_messages_users_saw():
    assert t("ana.with_plan", "de", n=1) == "Mit 1 geplanten Standort"
    assert t("ana.with_plan", "de", n=2) == "Mit 2 geplanten Standorten"
    assert t("ui.events.in_range", "en", n=1, start=date(2026, 11, 1), end=date(2026, 11, 30)) == (
        "1 event in the chosen period (1 Nov 2026 to 30 Nov 2026)"
    )
    assert t("err.auth_locked", "de", n=1).endswith("in 1 Minute erneut.")


# --- parameters are rendered for the language ----------------------------------------------------


def test_parameters_are_formatted_for_the_language():
    assert t("ui.shown", "de", shown=9690, total=30700) == "9.690 von 30.700 angezeigt"
    assert t("ui.shown", "en", shown=9690, total=30700) == "9,690 of 30,700 shown"
    saved = t("ui.upload.saved", "de", title="B", layer_id="b", version=1234, n=1)
    assert saved == "Gespeichert: „B“ (b), Version 1234, 1 Objekt."  # versions and ids stay as they are
    assert "1.5 MB" not in t("err.too_large", "de", name="x", size_mb=1.5, limit_mb=200)
    assert "1,5 MB" in t("err.too_large", "de", name="x", size_mb=1.5, limit_mb=200)
    ended = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    assert "am 22.11.2026, 18:30 Uhr" in t("err.part_ended", "de", end=ended)
    assert "on 22 Nov 2026, 18:30;" in t("err.part_ended", "en", end=ended)


def test_detail_panel_values():
    assert format_value(30700, "de", "EWZ") == "30.700"
    assert format_value(np.int64(30700), "en", "Einwohner") == "30,700"
    assert format_value(15089030, "de", "AGS") == "15089030"  # keys, postcodes and years unseparated
    assert format_value(39418, "de", "PLZ") == "39418" and format_value(1990, "de", "Baujahr") == "1990"
    assert format_value(12345.5, "de") == "12.345,5" and format_value(3.14159, "en") == "3.14"
    assert format_value(pd.Timestamp("2026-11-27 13:30", tz="UTC"), "de") == "27.11.2026, 14:30"
    assert format_value(date(2026, 1, 2), "en") == "2 Jan 2026"
    assert format_value(None, "de") == "–"
