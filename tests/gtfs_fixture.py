"""A small but complete GTFS feed, built from the facts below, with hand-computed results.

Facts (service period Monday 2025-03-03 to Sunday 2025-03-30, four full weeks):

Stops (stops.txt, written with a UTF-8 BOM, names with commas in quotes):
  S1  "Staßfurt, Bahnhof"      station (location_type 1)
  S1_1, S1_2  platforms "Gleis 1/2"  (parent S1)   S1_B  bus stop at the station (parent S1)
  S1_E  entrance (type 2, parent S1)              N1  pathway node (type 3, no coordinates)
  R2  "Egeln, Bahnhof"  B1 "Förderstedt, Kirche"  B2 "Hecklingen, Markt"
  B3  "Neundorf, Schule"  B4 "Löderburg, Siedlung" (no trip calls there)
  → places: S1, R2, B1, B2, B3, B4 = 6 features (3 platforms merged, 2 nodes skipped)

Routes: RE "RE 24" (route_type 2, rail), 110 (bus, 3), 111 (bus, 3).

Services (calendar.txt): DAILY Mo–Su, WD Mo–Fr, WE Sa–Su, SCH Mo–Fr (school).
  calendar_dates.txt: WD and SCH removed on Wed 2025-03-05 (holiday), SCH removed on
  Fri 2025-03-14, EXTRA (only in calendar_dates) added on Sat 2025-03-15, WE added on
  Sun 2025-03-16 although it runs anyway (must not count twice).

Trips (stop sequence; "boards" = departures counted: not the last stop, not pickup_type 1):
  RE1  DAILY RE   S1_1 → R2                         boards: S1
  RE2  DAILY RE   R2 → S1_2 (arrives 24:40:00)      boards: R2
  RE3  WD    RE   S1_1 → R2                         boards: S1
  110a WD    110  S1_B → B1                         boards: S1
  110b WD    110  B1 → S1_B                         boards: B1
  110c WE    110  S1_B → B1                         boards: S1
  110x EXTRA 110  S1_B → B1 → B2                    boards: S1, B1
  111a WD    111  S1_B → B2 → B3                    boards: S1, B2
  111s SCH   111  B3 → B2 (pickup_type 1) → S1_B    boards: B3
  111w DAILY 111  B2 → S1_B, frequencies 06:00–09:00 every 3600 s = 3 runs   boards: B2 ×3

Departures per service day: DAILY 1+1+3 = 5, WD 1+1+1+2 = 5, WE 1, SCH 1, EXTRA 2.
Week totals: normal week 5·7 + 5·5 + 1·2 + 1·5 = 67; week 1 (Mar 3–9) 67 − 5 − 1 = 61;
week 2 (Mar 10–16) 67 − 1 (SCH Fri) + 2 (EXTRA Sat) = 68; weeks 3, 4: 67.
→ reference week: Monday 2025-03-10 to Sunday 2025-03-16.

Routes per place (any call): S1 3 (RE, 110, 111), R2 1, B1 1, B2 2 (110 via 110x, 111), B3 1, B4 0.

Departures in the reference week (Mo, Di, Mi, Do, Fr, Sa, So):
  Mo–Do: DAILY+WD+SCH; Fr: DAILY+WD; Sa: DAILY+WE+EXTRA; So: DAILY+WE
  S1: 4 4 4 4 4 3 2   (Mo–Fr RE1+RE3+110a+111a; Sa RE1+110c+110x; So RE1+110c)
  R2: 1 1 1 1 1 1 1   (RE2)
  B1: 1 1 1 1 1 1 0   (110b on weekdays; 110x on Sa)
  B2: 4 4 4 4 4 3 3   (111w ×3 daily; 111a on weekdays; 111s does not pick up at B2)
  B3: 1 1 1 1 0 0 0   (111s, not on Fri 14th)
  B4: 0 0 0 0 0 0 0
Type: S1 and R2 "bahnhof" (rail), the others "bushaltestelle".
"""

from __future__ import annotations

import io
import zipfile

FILES: dict[str, str] = {
    "agency.txt": (
        "agency_id,agency_name,agency_url,agency_timezone,agency_lang\n"
        'KVG,"Kreisverkehrsgesellschaft Salzland (Test)",https://example.org,Europe/Berlin,de\n'
    ),
    "feed_info.txt": (
        "feed_publisher_name,feed_publisher_url,feed_lang\nTestverbund Salzland,https://example.org,de\n"
    ),
    "stops.txt": (
        "\ufeffstop_id,stop_code,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code\n"
        'S1,,"Staßfurt, Bahnhof",51.8627,11.5770,1,,\n'
        'S1_1,,"Staßfurt, Bahnhof Gleis 1",51.8628,11.5768,0,S1,1\n'
        'S1_2,,"Staßfurt, Bahnhof Gleis 2",51.8629,11.5772,,S1,2\n'
        'S1_B,,"Staßfurt, Bahnhof (Bus)",51.8622,11.5775,0,S1,\n'
        'S1_E,,"Staßfurt, Bahnhof Eingang",51.8625,11.5765,2,S1,\n'
        "N1,,Wegknoten,,,3,S1,\n"
        'R2,,"Egeln, Bahnhof",51.9433,11.4267,,,\n'
        'B1,,"Förderstedt, Kirche",51.8950,11.6380,0,,\n'
        'B2,,"Hecklingen, Markt",51.8470,11.5330,0,,\n'
        'B3,,"Neundorf, Schule",51.8330,11.5950,0,,\n'
        'B4,,"Löderburg, Siedlung",51.8860,11.5620,0,,\n'
    ),
    "routes.txt": (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "RE,KVG,RE 24,Magdeburg – Aschersleben,2\n"
        '110,KVG,110,"Staßfurt – Förderstedt",3\n'
        "111,KVG,111,Staßfurt – Hecklingen – Neundorf,3\n"
    ),
    "trips.txt": (
        "route_id,service_id,trip_id,trip_headsign\n"
        "RE,DAILY,RE1,Egeln\nRE,DAILY,RE2,Staßfurt\nRE,WD,RE3,Egeln\n"
        "110,WD,110a,Förderstedt\n110,WD,110b,Staßfurt\n110,WE,110c,Förderstedt\n"
        "110,EXTRA,110x,Hecklingen\n"
        "111,WD,111a,Neundorf\n111,SCH,111s,Staßfurt\n111,DAILY,111w,Staßfurt\n"
    ),
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
        "RE1,07:00:00,07:01:00,S1_1,1,,\nRE1,07:20:00,07:20:00,R2,2,,\n"
        "RE2,24:20:00,24:20:00,R2,1,,\nRE2,24:40:00,24:40:00,S1_2,2,,\n"
        "RE3,16:00:00,16:01:00,S1_1,1,,\nRE3,16:20:00,16:20:00,R2,2,,\n"
        "110a,08:00:00,08:00:00,S1_B,1,0,0\n110a,08:15:00,08:15:00,B1,2,0,0\n"
        "110b,09:00:00,09:00:00,B1,1,0,0\n110b,09:15:00,09:15:00,S1_B,2,0,0\n"
        "110c,10:00:00,10:00:00,S1_B,1,0,0\n110c,10:15:00,10:15:00,B1,2,0,0\n"
        "110x,11:00:00,11:00:00,S1_B,1,0,0\n110x,11:15:00,11:15:00,B1,2,0,0\n"
        "110x,11:30:00,11:30:00,B2,3,0,0\n"
        "111a,12:00:00,12:00:00,S1_B,1,0,0\n111a,12:10:00,12:10:00,B2,2,0,0\n"
        "111a,12:20:00,12:20:00,B3,3,0,0\n"
        "111s,07:00:00,07:00:00,B3,1,0,0\n111s,07:10:00,07:10:00,B2,2,1,0\n"
        "111s,07:20:00,07:20:00,S1_B,3,0,0\n"
        "111w,06:00:00,06:00:00,B2,1,0,0\n111w,06:10:00,06:10:00,S1_B,2,0,0\n"
    ),
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "DAILY,1,1,1,1,1,1,1,20250303,20250330\n"
        "WD,1,1,1,1,1,0,0,20250303,20250330\n"
        "WE,0,0,0,0,0,1,1,20250303,20250330\n"
        "SCH,1,1,1,1,1,0,0,20250303,20250330\n"
    ),
    "calendar_dates.txt": (
        "service_id,date,exception_type\n"
        "WD,20250305,2\nSCH,20250305,2\nSCH,20250314,2\nEXTRA,20250315,1\nWE,20250316,1\n"
    ),
    "frequencies.txt": (
        "trip_id,start_time,end_time,headway_secs,exact_times\n111w,06:00:00,09:00:00,3600,1\n"
    ),
}

STOP_COUNT = 6
ROUTES = {"S1": 3, "R2": 1, "B1": 1, "B2": 2, "B3": 1, "B4": 0}
DEPARTURES = {  # Mo, Di, Mi, Do, Fr, Sa, So of the reference week
    "S1": (4, 4, 4, 4, 4, 3, 2),
    "R2": (1, 1, 1, 1, 1, 1, 1),
    "B1": (1, 1, 1, 1, 1, 1, 0),
    "B2": (4, 4, 4, 4, 4, 3, 3),
    "B3": (1, 1, 1, 1, 0, 0, 0),
    "B4": (0, 0, 0, 0, 0, 0, 0),
}
TYPES = {"S1": "bahnhof", "R2": "bahnhof", "B1": "bushaltestelle", "B2": "bushaltestelle",
         "B3": "bushaltestelle", "B4": "bushaltestelle"}  # fmt: skip
REFERENCE_WEEK = "2025-03-10/2025-03-16"


def feed_zip(
    files: dict[str, str] | None = None,
    *,
    drop: tuple[str, ...] = (),
    replace: dict[str, str] | None = None,
    folder: str = "",
) -> bytes:
    """The feed as zip bytes; `drop`/`replace` files to make it malformed, `folder` to nest it."""
    contents = {**(files or FILES), **(replace or {})}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in contents.items():
            if name not in drop:
                zf.writestr(folder + name, text.encode("utf-8"))
    return buf.getvalue()
