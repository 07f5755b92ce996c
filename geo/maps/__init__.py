"""Maps: what the browser gets of a layer and how it is drawn. Display frames, styles and
symbols, legends, map payloads, folium maps, filters, search, feature details, permalinks
and guided-tour views; the map scripts the app serves itself (no CDN).
"""
