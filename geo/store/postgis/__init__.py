"""The PostGIS backend: catalogue, layer versions (one table each, in their source CRS with a
spatial index), documents, participation and logins in one PostgreSQL database, for several
app replicas at once. Chosen by a ``postgresql://`` store URL.
"""

from geo.store.postgis.backend import PostGISStore

__all__ = ["PostGISStore"]
