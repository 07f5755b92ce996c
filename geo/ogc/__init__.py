"""Open standards: the store's layers published as OGC API – Features (pygeoapi).

`service.ogc_app` is the Starlette app `webui.server` mounts at ``/ogc``; `collections` says
what is published (layers not in the trash, visible contributions of started rounds) and
makes pygeoapi's configuration from the store; `provider` is pygeoapi's feature provider
over the store interfaces; `features` the queries; `metadata` a DCAT-AP.de record per
collection. Imports from WFS and OGC API services are in `geo.imports.services`.
"""
