"""GTFS timetables: the feed's tables read and validated (`feed`), which services run when
(`calendar`), and the stops layer with departures per reference week (`stops`).
"""
