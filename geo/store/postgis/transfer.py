"""Dump and load of the PostGIS store for `geo.store.transfer` (migration, backups).

A dump reads every catalogue table in one REPEATABLE READ transaction (one snapshot);
version tables are immutable, so reading them afterwards is consistent. A load creates
every version table and inserts every row in one transaction, then moves the id sequences
past the copied ids: it commits completely or not at all.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from geo.errors import GeoError
from geo.store.postgis import tables
from geo.store.transfer import TABLES, Snapshot, neutral


class TransferMixin:
    """`dump`/`load` of the PostGIS store (needs ``self._db``)."""

    def dump(self) -> Snapshot:
        rows = {}
        with self._db.transaction() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for table in TABLES:
                extra = sql.SQL(", data_table AS storage") if table == "versions" else sql.SQL("")
                query = sql.SQL("SELECT *{} FROM {}").format(extra, sql.Identifier(table))
                rows[table] = [neutral(table, row) for row in conn.execute(query).fetchall()]
            storage = {
                r["data_table"]: (r["columns"], r["crs_wkt"])
                for r in conn.execute("SELECT data_table, columns, crs_wkt FROM versions").fetchall()
            }
        return Snapshot(rows, lambda key: self._read_storage(key, *storage[key]))

    def _read_storage(self, name: str, columns: str, crs_wkt: str):
        with self._db.transaction() as conn:
            return tables.read_table(conn, name, columns, crs_wkt)

    def load(self, snapshot: Snapshot) -> None:
        """Copy `snapshot` into this store, which must be empty, in one transaction."""
        layer_of = {row["storage"]: row["layer_id"] for row in snapshot.rows["versions"]}
        with self._db.transaction() as conn:
            conn.execute("LOCK TABLE layers, rounds, documents, audit IN EXCLUSIVE MODE")
            if conn.execute(
                "SELECT (SELECT COUNT(*) FROM layers) + (SELECT COUNT(*) FROM rounds) "
                "+ (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM audit) AS n"
            ).fetchone()["n"]:
                raise GeoError("err.migrate_target_not_empty", location=self.location)
            stored = {
                key: self._copy_data(conn, layer_of[key], snapshot.read(key))
                for key in snapshot.storage_keys()
            }
            for table, columns in TABLES.items():
                names = (
                    [*columns, "data_table", "columns", "crs_wkt"] if table == "versions" else list(columns)
                )
                query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                    sql.Identifier(table),
                    sql.SQL(", ").join(map(sql.Identifier, names)),
                    sql.SQL(", ").join(sql.Placeholder() * len(names)),
                )
                for row in snapshot.rows[table]:
                    extra = list(stored[row["storage"]].values()) if table == "versions" else []
                    conn.execute(query, [*(row[c] for c in columns), *extra])
            for row in snapshot.rows["layers"]:
                if not row["deleted"]:
                    data = next(
                        stored[v["storage"]]
                        for v in snapshot.rows["versions"]
                        if v["layer_id"] == row["id"] and v["version"] == row["current_version"]
                    )
                    tables.publish_view(conn, row["id"], data["data_table"], data["columns"])
            for table in ("audit", "contributions"):
                conn.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                        "COALESCE((SELECT MAX(id) FROM {}), 0) + 1, false)"
                    ).format(sql.Identifier(table)),
                    (table,),
                )

    @staticmethod
    def _copy_data(conn: psycopg.Connection, layer_id: str, gdf) -> dict:
        name = tables.table_name(layer_id)
        return {
            "data_table": name,
            "columns": tables.create_table(conn, name, gdf),
            "crs_wkt": gdf.crs.to_wkt(),
        }
