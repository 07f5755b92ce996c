"""Imports: planners' GIS files (GeoPackage, GeoJSON, KML, zipped Shapefiles, CSV with
coordinates, GTFS feeds) read into clean layers with a report of every change, and stored
through one path (`save.save_import`; `save.import_file` for whole files) that the CLI, the
upload page and scripts share.
"""
