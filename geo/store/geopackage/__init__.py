"""The GeoPackage backend: a folder with a SQLite catalogue (layers, versions, audit log,
documents, participation) and one immutable ``.gpkg`` file per layer version.
"""

from geo.store.geopackage.backend import GeoPackageStore

__all__ = ["GeoPackageStore"]
