"""The reference's field rules (required keys, types, enumerations, formats) in its wording."""

import datetime
import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..validators import normalize_spdx_expression
from .vocabularies import (
    CATEGORIES, COUNTRY_EXTENSION_VERSIONS, DEVELOPMENT_STATUSES, MAINTENANCE_TYPES, SCOPES,
    SOFTWARE_TYPES, SUPPORTS_ALIASES,
)

DEPRECATED_DROP = "This key is DEPRECATED and will be removed in the future. It's safe to drop it"
_MIME_RE = re.compile(
    r"^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URN_RE = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:(?:[a-z0-9()+,\-.:=@;$_!*'/?#]|%[0-9a-f]{2})+$", re.I)
_EMAIL_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]+"
_EMAIL_LABEL = r"[A-Za-z0-9\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef](?:[A-Za-z0-9\-_~.\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]*[A-Za-z0-9\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef])?"
_EMAIL_RE = re.compile(
    rf"^{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:{_EMAIL_LABEL}\.)+{_EMAIL_LABEL}\.?$"
)
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_BCP47_RE = re.compile(
    r"^(?P<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*"
    r"(?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?$"
    r"|^x(?:-[a-z0-9]{1,8})+$",
    re.I,
)
_GRANDFATHERED = frozenset({
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl",
    "sgn-ch-de", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
    "zh-min", "zh-min-nan", "zh-xiang",
})


def _grapheme_count(text: str) -> int:
    """Extended grapheme clusters, close enough to Unicode's rules for length limits."""
    count, previous, regional = 0, None, 0
    for char in text:
        code = ord(char)
        is_regional = 0x1F1E6 <= code <= 0x1F1FF
        if previous is not None:
            if previous == "\r" and char == "\n":
                previous = char
                continue
            if (
                unicodedata.category(char) in ("Mn", "Me", "Mc")
                or code == 0x200D
                or 0xFE00 <= code <= 0xFE0F
                or 0x1F3FB <= code <= 0x1F3FF
                or 0xE0020 <= code <= 0xE007F
            ):
                previous = char
                continue
            if previous == "\u200d":
                previous = char
                continue
            if is_regional and regional % 2 == 1:
                regional += 1
                previous = char
                continue
            if 0x1160 <= code <= 0x11FF and 0x1100 <= ord(previous) <= 0x11FF:
                previous = char
                continue
        regional = regional + 1 if is_regional else 0
        count += 1
        previous = char
    return count


def _go_url(value):
    try:
        return urllib.parse.urlsplit(value)
    except ValueError:
        return None


def is_url(value: str) -> bool:
    """go-playground's ``url``: a scheme and a host, fragment or opaque part."""
    text = value.lower()
    if not text:
        return False
    if text.startswith("file:"):
        return True
    parts = _go_url(text)
    if parts is None or not parts.scheme or not SCHEME_RE.match(text):
        return False
    opaque = not text[len(parts.scheme) + 1:].startswith("/")
    return bool(parts.netloc or parts.fragment or opaque)


def is_http_url(value: str) -> bool:
    if not is_url(value):
        return False
    parts = _go_url(value.lower())
    return bool(parts and parts.netloc) and parts.scheme in ("http", "https")


def _is_request_uri(value):
    """Go's url.ParseRequestURI: an absolute URI or an absolute path."""
    if not value or any(ch in value for ch in " \t\n\x7f") or any(ord(ch) < 0x20 for ch in value):
        return False
    return bool(SCHEME_RE.match(value)) or value.startswith("/")


def _is_url_or_urn(value, urn_ok=lambda value: True):
    """A request URI (Go's url.ParseRequestURI) that is a URL with a host, or a well-formed URN
    that passes `urn_ok`."""
    if not _is_request_uri(value):
        return False
    parts = _go_url(value)
    if parts is None:
        return False
    if parts.scheme.lower() == "urn":
        return bool(_URN_RE.match(value)) and urn_ok(value)
    return bool(parts.scheme and parts.netloc)


def _ipa_urn_ok(value):
    opaque = value[4:]
    if opaque.lower().startswith("x-italian-pa:"):
        return bool(IPA_CODE_RE.match(opaque[len("x-italian-pa:"):]))
    return True


def is_organisation_uri(value: str) -> bool:
    """An organisation or fundedBy URI: a URL with a host, or a URN (iPA codes well-formed)."""
    return _is_url_or_urn(value, _ipa_urn_ok)


# The reference checks iPA codes against the full iPA register; we check the code's form
# (see docs/publiccode.md).
IPA_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,19}$", re.I)


def is_email(value: str) -> bool:
    return bool(_EMAIL_RE.match(value))


def is_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Registries:
    languages: frozenset[str]  # ISO 639 codes, lower case
    countries: frozenset[str]  # ISO 3166-1 alpha-2, upper case
    scripts: frozenset[str]  # ISO 15924, lower case


@functools.cache
def registries() -> Registries:
    """The ISO code lists (pycountry), built once per process; the value is whole and immutable
    before any thread sees it (two threads asking at once may each build one)."""
    import pycountry

    languages = {"und", "iw", "in", "ji", "jw", "mo", "sh", "tl", "zh"}
    for language in pycountry.languages:
        for attribute in ("alpha_2", "alpha_3", "bibliographic"):
            code = getattr(language, attribute, None)
            if code:
                languages.add(code.lower())
    return Registries(frozenset(languages), frozenset(country.alpha_2 for country in pycountry.countries),
                      frozenset(script.alpha_4.lower() for script in pycountry.scripts))


def is_country(value: str) -> bool:
    return value.upper() in registries().countries


def is_country_lower_or_upper(value: str) -> bool:
    if value not in (value.lower(), value.upper()):
        return False
    return is_country(value)


def is_bcp47(value: str) -> bool:
    """A well-formed BCP 47 tag whose language, script and region subtags are registered."""
    if value.lower() in _GRANDFATHERED:
        return True
    match = _BCP47_RE.match(value)
    if not match:
        return False
    if value.lower().startswith("x-"):
        return True
    codes = registries()
    language = match.group("lang").split("-")[0].lower()
    if language not in codes.languages:
        return False
    script = match.group("script")
    if script and script.lower() not in codes.scripts:
        return False
    region = match.group("region")
    if region and not region.isdigit() and region.upper() not in codes.countries | {"EU", "UN", "XK", "UK", "EZ"}:
        return False
    return True


def is_spdx_expression(value: str) -> bool:
    """An SPDX licence expression (store.validators.normalize_spdx_expression). A blank one passes
    here: `required` reports a missing licence."""
    try:
        normalize_spdx_expression(value)
    except ValidationError as error:
        return error.code == "required"
    return True


def _one_of(field_name, values):
    quoted = ['"%s"' % v for v in values]
    text = ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]
    return "%s must be one of the following: %s" % (field_name, text)


def _leaf(key):
    """The field name the reference puts in front of its messages: the last part of the key."""
    return key.rsplit(".", 1)[-1]


class _Checker:
    """Collects errors in the order the reference validates its structs."""

    def __init__(self):
        self.errors = []

    def add(self, key, description):
        self.errors.append((key, description))

    def required(self, key, value):
        if value is None or value == "":
            self.add(key, "%s is a required field" % _leaf(key))
            return False
        return True

    def gt0(self, key, value):
        if not value:
            self.add(key, "%s must contain more than 0 items" % _leaf(key))
            return False
        return True


def _desc_key(lang):
    return "description.%s" % lang if lang.isalpha() else "description[%s]" % lang


def validate_fields(data):
    """The reference's field rules over the decoded file: (key, description) pairs, in the order
    the reference validates its structs, one rule per section (FIELD_RULES)."""
    c = _Checker()
    for rule in FIELD_RULES:
        rule(c, data)
    return c.errors


def _optional(key, check, message):
    """The rule for a top-level key that may be absent but, where given, must pass `check`."""
    def rule(c, data):
        if data.get(key) is not None and not check(data[key]):
            c.add(key, message)
    return rule


def _required_one_of(key, values):
    """The rule for a required top-level key with one of `values`."""
    def rule(c, data):
        if c.required(key, data.get(key)) and data[key] not in values:
            c.add(key, _one_of(key, values))
    return rule


def _each(data, key):
    """(index, item) of the list under `key` (none when absent or null)."""
    return enumerate(data.get(key) or [])


def _name(c, data):
    c.required("name", data.get("name"))


def _url(c, data):
    # url is a pointer in the reference: only a missing url is "required"; "" is not a URL.
    url = data.get("url")
    if url is None:
        c.add("url", "url is a required field")
    elif not is_url(url):
        c.add("url", "url must be a valid URL")


def _is_based_on(c, data):
    for index, value in _each(data, "isBasedOn"):
        if value is None or not is_url(value):
            c.add("isBasedOn[%d]" % index, "isBasedOn[%d] must be a valid URL" % index)


def _organisation(c, data):
    if data.get("organisation") is not None:
        _validate_organisation(c, "organisation", data["organisation"])


def _mime_types(c, data):
    for name in ("inputTypes", "outputTypes"):
        for index, value in _each(data, name):
            if not _MIME_RE.match(value or ""):
                c.add("%s[%d]" % (name, index), "%s[%d] is not a valid MIME type" % (name, index))


def _platforms(c, data):
    c.gt0("platforms", data.get("platforms"))


def _in_vocabulary(c, key, values, vocabulary, what, page):
    """Each of `values` (the list under `key`) must be one of the standard's `vocabulary`; the
    message names the standard's page that lists them."""
    for index, value in enumerate(values or []):
        if value not in vocabulary:
            c.add(
                "%s[%d]" % (key, index),
                "%s[%d] must be a valid %s (see https://github.com/publiccodeyml/"
                "publiccode.yml/blob/main/docs/standard/%s)" % (_leaf(key), index, what, page),
            )


def _categories(c, data):
    _in_vocabulary(c, "categories", data.get("categories"), CATEGORIES, "category", "categories-list.rst")


def _funded_by(c, data):
    for index, organisation in _each(data, "fundedBy"):
        _validate_organisation(c, "fundedBy[%d]" % index, organisation or {})


def _supports(c, data):
    for index, support in _each(data, "supports"):
        key = "supports[%d].id" % index
        value = (support or {}).get("id")
        if not c.required(key, value) or _is_supports_id(value):
            continue
        if value.startswith("alias:"):
            c.add(key, "id contains an unknown alias (see https://github.com/publiccodeyml/"
                  "publiccode.yml/blob/main/docs/standard/aliases-list.rst)")
        else:
            c.add(key, "id must be a known alias ('alias:<name>') or a valid URI (URL or URN)")


def _intended_audience(c, data):
    audience = data.get("intendedAudience") or {}
    _in_vocabulary(c, "intendedAudience.scope", audience.get("scope"), SCOPES, "scope", "scope-list.rst")
    for name in ("countries", "unsupportedCountries"):
        for index, value in _each(audience, name):
            if not is_country_lower_or_upper(value or ""):
                c.add(
                    "intendedAudience.%s[%d]" % (name, index),
                    "%s[%d] must be a valid ISO 3166-1 alpha-2 two-letter country code" % (name, index),
                )


def _description(c, data):
    description = data.get("description") or {}
    if not c.gt0("description", description):
        return
    if not all(is_bcp47(lang) for lang in description):
        c.add("description", "description must be a valid BCP 47 language")
        return
    for lang, desc in description.items():
        _validate_description(c, _desc_key(lang), desc or {})


def _legal(c, data):
    legal = data.get("legal") or {}
    if c.required("legal.license", legal.get("license")) and not is_spdx_expression(legal["license"]):
        c.add("legal.license", "license must be a valid license (see https://spdx.org/licenses)")


def _maintenance(c, data):
    _validate_maintenance(c, data.get("maintenance") or {})


def _localisation(c, data):
    localisation = data.get("localisation") or {}
    c.required("localisation.localisationReady", localisation.get("localisationReady"))
    languages = localisation.get("availableLanguages")
    key = "localisation.availableLanguages"
    if languages is None:
        c.add(key, "availableLanguages is a required field")
    elif c.gt0(key, languages):
        for index, value in enumerate(languages):
            if not is_bcp47(value or ""):
                c.add("%s[%d]" % (key, index), "availableLanguages[%d] must be a valid BCP 47 language" % index)


def _depends_on(c, data):
    depends = data.get("dependsOn") or {}
    for kind in ("open", "proprietary", "hardware"):
        for index, dependency in _each(depends, kind):
            c.required("dependsOn.%s[%d].name" % (kind, index), (dependency or {}).get("name"))


def _italian_sections(c, data):
    for section_key in ("IT", "it"):
        section = data.get(section_key)
        if section is None:
            continue
        version = section.get("countryExtensionVersion")
        if version is not None and version not in COUNTRY_EXTENSION_VERSIONS:
            c.add(
                "%s.countryExtensionVersion" % section_key,
                _one_of("countryExtensionVersion", COUNTRY_EXTENSION_VERSIONS),
            )
        code = (section.get("riuso") or {}).get("codiceIPA")
        if code and not IPA_CODE_RE.match(code):
            c.add(
                "%s.riuso.codiceIPA" % section_key,
                "codiceIPA must be a valid Italian Public Administration Code (iPA) "
                "(see https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)",
            )


# The sections in the order the reference validates them (its messages come in this order).
FIELD_RULES = (
    _name,
    _url,
    _optional("landingURL", is_http_url, "landingURL must be an HTTP URL"),
    _is_based_on,
    _optional("releaseDate", is_date, "releaseDate must be a date with format 'YYYY-MM-DD'"),
    _organisation,
    _mime_types,
    _platforms,
    _categories,
    _funded_by,
    _optional("roadmap", is_http_url, "roadmap must be an HTTP URL"),
    _required_one_of("developmentStatus", DEVELOPMENT_STATUSES),
    _required_one_of("softwareType", SOFTWARE_TYPES),
    _supports,
    _intended_audience,
    _description,
    _legal,
    _maintenance,
    _localisation,
    _depends_on,
    _italian_sections,
)


def _validate_organisation(c, prefix, organisation):
    key = prefix + ".uri"
    value = organisation.get("uri")
    if not c.required(key, value):
        return
    if not is_organisation_uri(value):
        if value.startswith("urn:x-italian-pa:"):
            c.add(key, "uri must be a valid Italian Public Administration Code (iPA) with format "
                  "'urn:x-italian-pa:[codiceIPA]' (see https://github.com/publiccodeyml/"
                  "italian-organizations-ipa-vocabulary)")
        else:
            c.add(key, "uri is not a valid URI")


def _is_supports_id(value):
    if value.startswith("alias:"):
        return value[len("alias:"):] in SUPPORTS_ALIASES
    return _is_url_or_urn(value)


def _validate_description(c, prefix, desc):
    generic = desc.get("genericName") or ""
    if _grapheme_count(generic) > 35:
        c.add(prefix + ".genericName", "genericName must be a maximum of 35 characters in length")
    short = desc.get("shortDescription")
    if c.required(prefix + ".shortDescription", short) and _grapheme_count(short) > 150:
        c.add(prefix + ".shortDescription", "shortDescription must be a maximum of 150 characters in length")
    long = desc.get("longDescription")
    if c.required(prefix + ".longDescription", long):
        length = _grapheme_count(long)
        if length < 150:
            c.add(prefix + ".longDescription", "longDescription must be at least 150 characters in length")
        elif length > 10000:
            c.add(prefix + ".longDescription", "longDescription must be a maximum of 10000 characters in length")
    for name in ("documentation", "apiDocumentation"):
        if desc.get(name) is not None and not is_http_url(desc[name]):
            c.add("%s.%s" % (prefix, name), "%s must be an HTTP URL" % name)
    c.gt0(prefix + ".features", desc.get("features"))
    for index, video in enumerate(desc.get("videos") or []):
        if video is not None and not is_http_url(video):
            c.add("%s.videos[%d]" % (prefix, index), "videos[%d] must be an HTTP URL" % index)


def _validate_maintenance(c, maintenance):
    kind = maintenance.get("type")
    if c.required("maintenance.type", kind) and kind not in MAINTENANCE_TYPES:
        c.add("maintenance.type", _one_of("type", MAINTENANCE_TYPES))
    _validate_contractors(c, kind, maintenance.get("contractors"))
    _validate_contacts(c, kind, maintenance.get("contacts"))


def _validate_contractors(c, kind, contractors):
    if kind == "contract" and contractors is None:
        c.add("maintenance.contractors", 'contractors is a required field when "type" is "contract"')
    elif kind != "contract" and contractors is not None:
        c.add("maintenance.contractors", 'contractors must not be present unless "type" is "contract"')
    elif contractors:
        for index, contractor in enumerate(contractors):
            prefix = "maintenance.contractors[%d]" % index
            contractor = contractor or {}
            _validate_person(c, prefix, contractor)
            if contractor.get("website") is not None and not is_http_url(contractor["website"]):
                c.add(prefix + ".website", "website must be an HTTP URL")
            if c.required(prefix + ".until", contractor.get("until")) and not is_date(contractor["until"]):
                c.add(prefix + ".until", "until must be a date with format 'YYYY-MM-DD'")


def _validate_contacts(c, kind, contacts):
    if kind in ("community", "internal") and contacts is None:
        c.add("maintenance.contacts", 'contacts is a required field when "type" is "%s"' % kind)
    elif contacts:
        for index, contact in enumerate(contacts):
            _validate_person(c, "maintenance.contacts[%d]" % index, contact or {})


def _validate_person(c, prefix, person):
    """A contractor's or contact's name (required) and e-mail address."""
    c.required(prefix + ".name", person.get("name"))
    if person.get("email") and not is_email(person["email"]):
        c.add(prefix + ".email", "email must be a valid email address")
