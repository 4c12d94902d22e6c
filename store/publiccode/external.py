"""Checks on what the file points to: local files, deprecations, oEmbed links, and (only with
`network=True`) URL reachability and remote logos, fetched from public addresses only."""

import http.client
import ipaddress
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

from .rules import DEPRECATED_DROP, IPA_CODE_RE, SCHEME_RE, is_country_lower_or_upper
from .vocabularies import OEMBED_PATTERNS

MAX_DOWNLOAD = 1024 * 1024


def _relative_path_error(value, key):
    if value.startswith("/"):
        return key, "is an absolute path. Only relative paths or HTTP(s) URLs allowed"
    if value.startswith("file:"):
        return key, "is a file:// URL. Only relative paths or HTTP(s) URLs allowed"
    return None


def _local_path(value, base_dir):
    return os.path.normpath(os.path.join(str(base_dir), value))


def _png_ok(payload: bytes) -> bool:
    return payload.startswith(b"\x89PNG\r\n\x1a\n") and payload[12:16] == b"IHDR" and len(payload) >= 24


def _check_public_host(host):
    """Raise OSError unless every address the host resolves to is public (no SSRF inwards)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError) as exc:
        raise OSError("cannot resolve host %s" % host) from exc
    for info in infos:
        try:
            address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        except ValueError as exc:
            raise OSError("host is not a public address") from exc
        if not address.is_global:
            raise OSError("host is not a public address")


class _PublicRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to public http(s) hosts, so a file cannot point us inwards."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parts = urllib.parse.urlsplit(newurl)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise urllib.error.URLError("redirect to a non-http(s) URL refused")
        try:
            _check_public_host(parts.hostname)
        except OSError as exc:
            raise urllib.error.URLError("redirect refused: %s" % exc) from exc
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url, limit=MAX_DOWNLOAD, timeout=10):
    """GET a public http(s) URL; returns the body (capped) or raises OSError with a reason."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise OSError(str(exc)) from exc
    if not parts.scheme:
        raise OSError("missing URL scheme")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OSError("unsupported URL")
    _check_public_host(parts.hostname)
    request = urllib.request.Request(url, headers={"User-Agent": "fit-store-publiccode/1"})
    opener = urllib.request.build_opener(_PublicRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                raise OSError("HTTP status %d" % response.status)
            return response.read(limit)
    except urllib.error.HTTPError as exc:
        raise OSError("not found" if exc.code == 404 else "HTTP status %d" % exc.code) from exc
    except (urllib.error.URLError, http.client.HTTPException, ValueError) as exc:
        raise OSError(str(getattr(exc, "reason", exc))) from exc


def _check_logo(key, value, base_dir, network):
    problem = _relative_path_error(value, key)
    if problem:
        return [problem]
    remote = bool(SCHEME_RE.match(value))
    if remote and not network:
        return []
    if not remote and base_dir is None:
        return []
    target = value if remote else _local_path(value, base_dir)
    path_part = urllib.parse.urlsplit(value).path if remote else target
    if os.path.splitext(path_part)[1].lower() not in (".svg", ".svgz", ".png"):
        return [(key, "invalid file extension for: %s" % target)]
    if remote:
        try:
            payload = _fetch(value)
        except OSError as exc:
            return [(key, "HTTP GET failed for %s: %s" % (value, exc))]
    else:
        if not os.path.exists(target):
            return [(key, "no such file: %s" % target)]
        if not target.lower().endswith(".png"):
            return []
        with open(target, "rb") as handle:
            payload = handle.read(64)
    if path_part.lower().endswith(".png") and not _png_ok(payload):
        return [(key, "image: unknown format")]
    return []


class _Findings:
    """What the second pass found, in order: (is_error, key, description)."""

    def __init__(self, base_dir, network):
        self.base_dir = base_dir
        self.network = network
        self.results = []

    def error(self, key, description):
        self.results.append((True, key, description))

    def warning(self, key, description):
        self.results.append((False, key, description))

    def reachable(self, key, url):
        """With network checks: an error unless `url` answers."""
        if not self.network or not url:
            return
        try:
            _fetch(url, limit=1)
        except OSError as exc:
            self.error(key, "'%s' not reachable: %s" % (url, exc))


def external_checks(data, base_dir, network):
    """Warnings and errors of the reference's second pass (files, deprecations, oEmbed), one
    rule per section (EXTERNAL_RULES) in the reference's order."""
    found = _Findings(base_dir, network)
    for rule in EXTERNAL_RULES:
        rule(found, data)
    return found.results


def _reachable_urls(found, data):
    for key in ("url", "landingURL", "roadmap"):
        found.reachable(key, data.get(key))


def _logo(found, data):
    if data.get("logo"):
        for key, description in _check_logo("logo", data["logo"], found.base_dir, found.network):
            found.error(key, description)


def _monochrome_logo(found, data):
    if data.get("monochromeLogo"):
        found.warning("monochromeLogo", "This key is DEPRECATED and will be removed in the future. Use 'logo' instead")
        for key, description in _check_logo("monochromeLogo", data["monochromeLogo"], found.base_dir, found.network):
            found.error(key, description)


def _lowercase_countries(found, data):
    audience = data.get("intendedAudience") or {}
    for name in ("countries", "unsupportedCountries"):
        for index, value in enumerate(audience.get(name) or []):
            if value and is_country_lower_or_upper(value) and value == value.lower():
                found.warning(
                    "intendedAudience.%s[%d]" % (name, index),
                    "Lowercase country codes are DEPRECATED. Use uppercase instead ('%s')" % value.upper(),
                )


def _authors_file(found, data):
    value = (data.get("legal") or {}).get("authorsFile")
    if value is None:
        return
    found.warning("legal.authorsFile", DEPRECATED_DROP)
    problem = _relative_path_error(value, "legal.authorsFile")
    if problem:
        found.error(*problem)
    elif not SCHEME_RE.match(value) and found.base_dir is not None:
        target = _local_path(value, found.base_dir)
        if not os.path.exists(target):
            found.error("legal.authorsFile", "'%s' does not exist: no such file: %s" % (target, target))


def _repo_owner(found, data):
    if (data.get("legal") or {}).get("repoOwner") is not None:
        found.warning(
            "legal.repoOwner",
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' instead",
        )


def _mime_types(found, data):
    for name in ("inputTypes", "outputTypes"):
        if data.get(name) is not None:
            found.warning(name, DEPRECATED_DROP)


def _descriptions(found, data):
    for lang, desc in (data.get("description") or {}).items():
        desc = desc or {}
        prefix = "description.%s" % lang
        if desc.get("genericName"):
            found.warning(prefix + ".genericName", DEPRECATED_DROP)
        for name in ("documentation", "apiDocumentation"):
            found.reachable("%s.%s" % (prefix, name), desc.get(name))
        for index, value in enumerate(desc.get("screenshots") or []):
            _check_screenshot(found, "%s.screenshots[%d]" % (prefix, index), value or "")
        for index, video in enumerate(desc.get("videos") or []):
            if video is not None and not any(p.match(video) for p in OEMBED_PATTERNS):
                found.error(
                    "%s.videos[%d]" % (prefix, index),
                    "'%s' is not a valid video URL supporting oEmbed: invalid oEmbed link: %s" % (video, video),
                )


def _check_screenshot(found, key, value):
    problem = _relative_path_error(value, key)
    if problem:
        found.error(*problem)
        return
    remote = bool(SCHEME_RE.match(value))
    if (remote and not found.network) or (not remote and found.base_dir is None):
        return
    target = value if remote else _local_path(value, found.base_dir)
    path_part = urllib.parse.urlsplit(value).path if remote else target
    if os.path.splitext(path_part)[1].lower() not in (".jpg", ".png"):
        found.error(key, "'%s' is not an image: invalid file extension for: %s" % (value, target))
    elif not remote and not os.path.exists(target):
        found.error(key, "'%s' is not an image: no such file: %s" % (value, target))
    elif remote:
        try:
            _fetch(value, limit=1)
        except OSError as exc:
            found.error(key, "'%s' is not an image: HTTP GET failed for %s: %s" % (value, value, exc))


def _italian_section(found, data):
    upper, lower = data.get("IT"), data.get("it")
    section = upper
    if lower is not None:
        found.warning("it", "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead")
        section = lower
    if upper is not None and lower is not None:
        found.error("it", "'IT' key already present. Remove this key")
        section = upper
    if section is None:
        return
    if section.get("conforme") is not None:
        found.warning("IT.conforme", DEPRECATED_DROP)
    code = (section.get("riuso") or {}).get("codiceIPA")
    if code and IPA_CODE_RE.match(code):
        found.warning(
            "IT.riuso.codiceIPA",
            "This key is DEPRECATED and will be removed in the future. "
            "Use 'organisation.uri' and set it to 'urn:x-italian-pa:%s' instead" % code,
        )


# The sections in the order the reference checks them (its findings come in this order).
EXTERNAL_RULES = (
    _reachable_urls,
    _logo,
    _monochrome_logo,
    _lowercase_countries,
    _authors_file,
    _repo_owner,
    _mime_types,
    _descriptions,
    _italian_section,
)
