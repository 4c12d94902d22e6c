"""Outbound addresses: the one check that keeps the store from fetching (git repositories) or
posting (webhook callbacks) into loopback, private, link-local or other non-public networks."""
import ipaddress
import socket
from collections.abc import Callable

from django.utils.translation import gettext as _

from .errors import field_error


def ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address as an ip_address (an IPv6 zone is dropped, an IPv4-mapped IPv6 address unwrapped)."""
    parsed = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        return parsed.ipv4_mapped
    return parsed


def is_public(address: str) -> bool:
    parsed = ip(address)
    return not (
        parsed.is_loopback or parsed.is_private or parsed.is_link_local or parsed.is_reserved
        or parsed.is_multicast or parsed.is_unspecified or not parsed.is_global
    )


def resolve_public(host: str, port: int, *, field: str, code: str,
                   allowed: Callable[[str], bool] = lambda address: False) -> list[str]:
    """The host's addresses, each of which must be public or `allowed`; ValidationError on
    `field` with `code` otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        raise field_error(field, _("The host %(host)s cannot be resolved."), code, host=host) from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise field_error(field, _("The host %(host)s cannot be resolved."), code, host=host)
    for address in addresses:
        if not is_public(address) and not allowed(address):
            raise field_error(field, _("The host %(host)s resolves to a non-public address (%(address)s)."), code,
                              host=host, address=address)
    return addresses
