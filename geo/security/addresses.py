"""Client addresses as the limits count them.

The app server takes the address from the connection, or from ``X-Forwarded-For`` only when
the connection comes from a configured trusted proxy (``SMART_REGION_TRUSTED_PROXIES``, see
`webui.serve`). Here an address becomes the key a limit counts by: IPv4 as it is, IPv6 by its
/64 network, because one IPv6 client usually holds a whole /64 and could rotate within it.
"""

from __future__ import annotations

import ipaddress

from geo.errors import GeoError

LOCAL = "local"


def client_key(address: object) -> str:
    """The counting key of a client address; ``local`` for none or loopback, ``unknown`` for junk."""
    text = str(address or "").strip()
    if not text:
        return LOCAL
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.7 is 10.0.0.7
    if ip.is_loopback:
        return LOCAL
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def trusted_proxies(value: str) -> list[str]:
    """The trusted proxy addresses/networks of a comma-separated setting, checked (a typo must
    not silently trust nobody, or everybody)."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise GeoError("err.bad_trusted_proxy", value=item[:64]) from None
    return items
