"""What the store lets reach git: repository URLs (https to allowed hosts with public
addresses; local paths only where allowed) and tag names."""
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pygit2
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fitstore import addresses
from fitstore.errors import field_error

from ..error_codes import StoreErrorCode

MAX_URL_LENGTH = 500
MAX_TAG_LENGTH = 200

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _address_is_allowed(address: str) -> bool:
    """Whether the address lies in one of `settings.GIT_ALLOWED_NETWORKS` (CIDRs, default none):
    for a GitLab inside an authority's own network, and for tests."""
    ip = addresses.ip(address)
    for network in getattr(settings, "GIT_ALLOWED_NETWORKS", ()) or ():
        try:
            if ip in ipaddress.ip_network(str(network).strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def resolve_public_addresses(host: str, port: int = 443) -> list[str]:
    """The host's addresses, all of which must be public (or in GIT_ALLOWED_NETWORKS);
    ValidationError on "repository_url" otherwise."""
    return addresses.resolve_public(host, port, field="repository_url", code=StoreErrorCode.URL_NOT_ALLOWED.value,
                                    allowed=_address_is_allowed)


@dataclass(frozen=True)
class RepositoryLocation:
    """A checked repository URL: what to hand to libgit2."""

    url: str
    is_local: bool


def check_repository_url(url: str, *, resolve: bool = True) -> RepositoryLocation:
    """The URL if the store may fetch it (see the module's docstring); ValidationError on
    "repository_url" (code URL_NOT_ALLOWED, or REQUIRED/INVALID) otherwise."""
    field_name = "repository_url"
    if not isinstance(url, str) or not url.strip():
        raise field_error(field_name, _("Give the repository's URL."), StoreErrorCode.REQUIRED)
    url = url.strip()
    if url.startswith("-") or "::" in url:
        # git's transport syntax (ext::, fd::) and option injection.
        raise field_error(field_name, _("This kind of repository URL is not allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if len(url) > MAX_URL_LENGTH or _CONTROL.search(url):
        raise field_error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID)

    allow_local = bool(getattr(settings, "ALLOW_LOCAL_REPOSITORIES", False))
    if url.startswith("/"):
        if not allow_local:
            raise field_error(field_name, _("Local repositories are not allowed on this server."),
                              StoreErrorCode.URL_NOT_ALLOWED)
        return _local_location(url)

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if not allow_local:
            raise field_error(field_name, _("Local repositories are not allowed on this server."),
                              StoreErrorCode.URL_NOT_ALLOWED)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise field_error(field_name, _("Not a usable file:// URL."), StoreErrorCode.URL_NOT_ALLOWED)
        return _local_location(parts.path)
    if scheme != "https":
        raise field_error(field_name, _("Only https:// repository URLs are allowed."), StoreErrorCode.URL_NOT_ALLOWED)

    try:
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        raise field_error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID) from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise field_error(field_name, _("Credentials in the URL are not allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if port not in (None, 443):
        raise field_error(field_name, _("Only the default https port is allowed."), StoreErrorCode.URL_NOT_ALLOWED)
    if parts.query or parts.fragment or not parts.path.strip("/"):
        raise field_error(field_name, _("Not a usable repository URL."), StoreErrorCode.INVALID)
    allowed_hosts = {h.strip().lower() for h in getattr(settings, "GIT_ALLOWED_HOSTS", ()) if h.strip()}
    if not host or host not in allowed_hosts:
        raise field_error(field_name, _("The host %(host)s is not among the allowed git hosts."),
                          StoreErrorCode.URL_NOT_ALLOWED, host=host or "?")
    if resolve:
        resolve_public_addresses(host)
    return RepositoryLocation(url=url, is_local=False)


def _local_location(path: str) -> RepositoryLocation:
    if not path.startswith("/") or any(part == ".." for part in path.split("/")):
        raise field_error("repository_url", _("Give an absolute path."), StoreErrorCode.INVALID)
    return RepositoryLocation(url=str(Path(path)), is_local=True)


def check_tag(tag: str) -> str:
    """The tag name if it is a well-formed, non-option-like ref name; ValidationError on "tag"."""
    if not isinstance(tag, str) or not tag.strip():
        raise field_error("tag", _("Give a tag."), StoreErrorCode.REQUIRED)
    if tag.startswith("-"):
        raise field_error("tag", _("A tag may not start with '-'."), StoreErrorCode.INVALID_TAG)
    if (
        len(tag) > MAX_TAG_LENGTH or _CONTROL.search(tag) or tag.startswith("refs/")
        or not pygit2.reference_is_valid_name(f"refs/tags/{tag}")
    ):
        raise field_error("tag", _("%(tag)r is not a valid tag name."), StoreErrorCode.INVALID_TAG, tag=tag[:80])
    return tag
