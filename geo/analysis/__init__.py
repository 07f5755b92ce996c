"""Analysis: indicators per municipality, coverage and white spots, class breaks and
choropleth layers, analysis tables for download. Pure functions in a metric CRS.
"""
