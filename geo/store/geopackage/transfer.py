"""Dump and load of the GeoPackage store for `geo.store.transfer` (migration, backups).

A dump is one read transaction of the catalogue; version files are immutable, so reading
them later is consistent. A load writes each distinct version file first (complete,
fsynced), then inserts every row in one catalogue transaction: a load interrupted at any
moment leaves an empty store (plus unreferenced files), never a partial one.
"""

from __future__ import annotations

from geo.errors import GeoError
from geo.store.geopackage.files import discard, publish, read_layer_file, write_temp
from geo.store.transfer import TABLES, Snapshot, neutral


class TransferMixin:
    """`dump`/`load` of the GeoPackage store (needs ``self._catalog``, ``self._root``)."""

    def dump(self) -> Snapshot:
        rows = {}
        with self._catalog.read() as conn:
            for table in TABLES:
                select = "*, file AS storage" if table == "versions" else "*"
                found = conn.execute(f"SELECT {select} FROM {table}").fetchall()  # noqa: S608 (fixed names)
                rows[table] = [neutral(table, row) for row in found]
        return Snapshot(rows, lambda key: read_layer_file(self._root / key))

    def load(self, snapshot: Snapshot) -> None:
        """Copy `snapshot` into this store, which must be empty."""
        if not self.dump().is_empty():
            raise GeoError("err.migrate_target_not_empty", location=self.location)
        layer_of = {row["storage"]: row["layer_id"] for row in snapshot.rows["versions"]}
        files: dict[str, str] = {}
        try:
            for key in snapshot.storage_keys():
                tmp = write_temp(self._layers_dir, snapshot.read(key), key)
                files[key] = self._relative(publish(tmp, self._layers_dir / layer_of[key]))
            with self._catalog.write() as conn:
                for table, columns in TABLES.items():
                    names = [*columns, "file"] if table == "versions" else list(columns)
                    sql = f"INSERT INTO {table} ({', '.join(f'[{n}]' for n in names)}) "  # noqa: S608
                    sql += f"VALUES ({', '.join('?' * len(names))})"
                    for row in snapshot.rows[table]:
                        extra = [files[row["storage"]]] if table == "versions" else []
                        conn.execute(sql, [*(row[c] for c in columns), *extra])
        except BaseException:
            for file in files.values():
                discard(self._root / file)
            raise
