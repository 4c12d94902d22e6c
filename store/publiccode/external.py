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


def external_checks(data, base_dir, network):
    """Warnings and errors of the reference's second pass (files, deprecations, oEmbed)."""
    results = []  # (is_error, key, description)

    def error(key, description):
        results.append((True, key, description))

    def warning(key, description):
        results.append((False, key, description))

    if network:
        for key in ("url", "landingURL", "roadmap"):
            if data.get(key):
                try:
                    _fetch(data[key], limit=1)
                except OSError as exc:
                    error(key, "'%s' not reachable: %s" % (data[key], exc))
    if data.get("logo"):
        for key, description in _check_logo("logo", data["logo"], base_dir, network):
            error(key, description)
    if data.get("monochromeLogo"):
        warning("monochromeLogo", "This key is DEPRECATED and will be removed in the future. Use 'logo' instead")
        for key, description in _check_logo("monochromeLogo", data["monochromeLogo"], base_dir, network):
            error(key, description)
    audience = data.get("intendedAudience") or {}
    for name in ("countries", "unsupportedCountries"):
        for index, value in enumerate(audience.get(name) or []):
            if value and is_country_lower_or_upper(value) and value == value.lower():
                warning(
                    "intendedAudience.%s[%d]" % (name, index),
                    "Lowercase country codes are DEPRECATED. Use uppercase instead ('%s')" % value.upper(),
                )
    legal = data.get("legal") or {}
    if legal.get("authorsFile") is not None:
        warning("legal.authorsFile", DEPRECATED_DROP)
        value = legal["authorsFile"]
        problem = _relative_path_error(value, "legal.authorsFile")
        if problem:
            error(*problem)
        elif not SCHEME_RE.match(value) and base_dir is not None:
            target = _local_path(value, base_dir)
            if not os.path.exists(target):
                error("legal.authorsFile", "'%s' does not exist: no such file: %s" % (target, target))
    if legal.get("repoOwner") is not None:
        warning(
            "legal.repoOwner",
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' instead",
        )
    for name in ("inputTypes", "outputTypes"):
        if data.get(name) is not None:
            warning(name, DEPRECATED_DROP)
    for lang, desc in (data.get("description") or {}).items():
        desc = desc or {}
        if desc.get("genericName"):
            warning("description.%s.genericName" % lang, DEPRECATED_DROP)
        if network:
            for name in ("documentation", "apiDocumentation"):
                if desc.get(name):
                    try:
                        _fetch(desc[name], limit=1)
                    except OSError as exc:
                        error("description.%s.%s" % (lang, name), "'%s' not reachable: %s" % (desc[name], exc))
        for index, value in enumerate(desc.get("screenshots") or []):
            key = "description.%s.screenshots[%d]" % (lang, index)
            value = value or ""
            problem = _relative_path_error(value, key)
            if problem:
                error(*problem)
                continue
            remote = bool(SCHEME_RE.match(value))
            if (remote and not network) or (not remote and base_dir is None):
                continue
            target = value if remote else _local_path(value, base_dir)
            path_part = urllib.parse.urlsplit(value).path if remote else target
            if os.path.splitext(path_part)[1].lower() not in (".jpg", ".png"):
                error(key, "'%s' is not an image: invalid file extension for: %s" % (value, target))
            elif not remote and not os.path.exists(target):
                error(key, "'%s' is not an image: no such file: %s" % (value, target))
            elif remote:
                try:
                    _fetch(value, limit=1)
                except OSError as exc:
                    error(key, "'%s' is not an image: HTTP GET failed for %s: %s" % (value, value, exc))
        for index, video in enumerate(desc.get("videos") or []):
            if video is not None and not any(p.match(video) for p in OEMBED_PATTERNS):
                error(
                    "description.%s.videos[%d]" % (lang, index),
                    "'%s' is not a valid video URL supporting oEmbed: invalid oEmbed link: %s" % (video, video),
                )
    upper, lower = data.get("IT"), data.get("it")
    section = upper
    if lower is not None:
        warning("it", "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead")
        section = lower
    if upper is not None and lower is not None:
        error("it", "'IT' key already present. Remove this key")
        section = upper
    if section is not None:
        if section.get("conforme") is not None:
            warning("IT.conforme", DEPRECATED_DROP)
        code = (section.get("riuso") or {}).get("codiceIPA")
        if code and IPA_CODE_RE.match(code):
            warning(
                "IT.riuso.codiceIPA",
                "This key is DEPRECATED and will be removed in the future. "
                "Use 'organisation.uri' and set it to 'urn:x-italian-pa:%s' instead" % code,
            )
    return results
