"""Operations helpers run from a checkout (not installed): throw-away PostgreSQL clusters for
tests and benchmarks, and ``make cluster`` (PostGIS + app replicas + nginx on loopback)."""
