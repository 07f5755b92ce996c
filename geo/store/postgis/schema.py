"""The PostGIS store's tables: the catalogue in schema ``smart_region``, layer data in
``smart_region_layers`` (one immutable table per version, one view per live layer).

Columns mirror the GeoPackage catalogue (times as sortable ISO text, JSON as text), so one
migration copies rows both ways unchanged. Created on first open under an advisory lock, so
several processes starting at once do not race on ``CREATE … IF NOT EXISTS``.
"""

from __future__ import annotations

import psycopg

from geo.errors import GeoError

SCHEMA_VERSION = 1
CATALOG = "smart_region"
LAYERS = "smart_region_layers"
SEARCH_PATH = f"{CATALOG},public"  # every connection: catalogue tables unqualified, PostGIS in public
_INIT_LOCK = 7_346_101  # advisory lock key for schema creation

_DDL = """
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;
CREATE SCHEMA IF NOT EXISTS smart_region;
CREATE SCHEMA IF NOT EXISTS smart_region_layers;
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS layers (
    id text PRIMARY KEY, title text NOT NULL, kind text NOT NULL,
    attribution text NOT NULL DEFAULT '', roles text NOT NULL DEFAULT '{}',
    style text NOT NULL DEFAULT '{}', current_version integer NOT NULL,
    deleted integer NOT NULL DEFAULT 0, created_at text NOT NULL, updated_at text NOT NULL,
    updated_by text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS versions (
    layer_id text NOT NULL REFERENCES layers(id), version integer NOT NULL,
    data_table text NOT NULL, columns text NOT NULL, crs_wkt text NOT NULL,
    created_at text NOT NULL, author text NOT NULL, action text NOT NULL,
    source_file text NOT NULL DEFAULT '', feature_count integer NOT NULL,
    source_crs text NOT NULL, bbox text NOT NULL, geometry_type text NOT NULL DEFAULT '',
    PRIMARY KEY (layer_id, version));
CREATE TABLE IF NOT EXISTS audit (
    id bigserial PRIMARY KEY, at text NOT NULL, "user" text NOT NULL, action text NOT NULL,
    layer_id text NOT NULL, version integer, source_file text NOT NULL DEFAULT '',
    detail text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS documents (
    kind text NOT NULL, name text NOT NULL, version integer NOT NULL, data text,
    at text NOT NULL, author text NOT NULL, PRIMARY KEY (kind, name, version));
CREATE TABLE IF NOT EXISTS rounds (
    id text PRIMARY KEY, question text NOT NULL, categories text NOT NULL, bbox text NOT NULL,
    starts_at text NOT NULL, ends_at text NOT NULL, max_text integer NOT NULL,
    rate_limit integer NOT NULL, rate_window_min integer NOT NULL, cap integer NOT NULL,
    salt text NOT NULL, closed integer NOT NULL DEFAULT 0, created_at text NOT NULL,
    created_by text NOT NULL, layer_id text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS contributions (
    id bigserial PRIMARY KEY, round_id text NOT NULL REFERENCES rounds(id),
    lon double precision NOT NULL, lat double precision NOT NULL, category text NOT NULL,
    text text NOT NULL, created_at text NOT NULL, device text NOT NULL, request_id text,
    hidden integer NOT NULL DEFAULT 0, deleted integer NOT NULL DEFAULT 0,
    reason text NOT NULL DEFAULT '', UNIQUE (round_id, device, request_id));
CREATE INDEX IF NOT EXISTS contributions_by_device
    ON contributions (round_id, device, created_at);
CREATE TABLE IF NOT EXISTS supports (
    round_id text NOT NULL REFERENCES rounds(id),
    contribution_id bigint NOT NULL REFERENCES contributions(id),
    device text NOT NULL, at text NOT NULL, UNIQUE (contribution_id, device));
CREATE TABLE IF NOT EXISTS logins (
    account text PRIMARY KEY, count integer NOT NULL, last_at double precision NOT NULL,
    locked_until double precision NOT NULL DEFAULT 0, serial integer NOT NULL DEFAULT 0);
"""


def init_schema(conn: psycopg.Connection, location: str) -> None:
    """Create what is missing; refuse a database written by a newer version of the app."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
    exists = conn.execute("SELECT to_regclass(%s) AS t", ("meta",)).fetchone()["t"]
    if exists:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        found = int(row["value"]) if row else SCHEMA_VERSION
        if found > SCHEMA_VERSION:
            reason = f"Schema-Version {found} ist neuer als {SCHEMA_VERSION}"
            raise GeoError("err.store_unavailable", location=location, reason=reason)
        if row:
            return
    for statement in _DDL.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', %s) ON CONFLICT DO NOTHING",
        (str(SCHEMA_VERSION),),
    )
