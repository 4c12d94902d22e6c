"""Decoding the document into plain data the way the reference's Go decoder does.

A value of the wrong type or an unknown key is reported once (the first one, in struct order),
and the top-level field it sits in is dropped, so that the rules then see it as missing."""

from .yaml_tree import error, key_at_line


class _DecodeError(Exception):
    def __init__(self, node, description=None, *, key_node=None):
        super().__init__(description)
        self.node = node
        self.key_node = key_node
        self.description = description


STR, BOOL, URL, URLS = "str", "bool", "url", "urls"


def _list(item):
    return ("list", item)


def _struct(**fields):
    return ("struct", fields)


def _map(item):
    return ("map", item)


_ORGANISATION = _struct(name=STR, uri=STR)
_DEPENDENCY = _struct(name=STR, versionMin=STR, versionMax=STR, optional=BOOL, version=STR)
_IT_SECTION = _struct(
    countryExtensionVersion=STR,
    conforme=_struct(
        lineeGuidaDesign=BOOL, modelloInteroperabilita=BOOL, misureMinimeSicurezza=BOOL, gdpr=BOOL
    ),
    riuso=_struct(codiceIPA=STR),
    piattaforme=_struct(spid=BOOL, pagopa=BOOL, cie=BOOL, anpr=BOOL, io=BOOL),
)
SCHEMA_V0 = _struct(
    publiccodeYmlVersion=STR,
    name=STR,
    applicationSuite=STR,
    url=URL,
    landingURL=URL,
    isBasedOn=URLS,
    softwareVersion=STR,
    releaseDate=STR,
    logo=STR,
    monochromeLogo=STR,
    organisation=_ORGANISATION,
    inputTypes=_list(STR),
    outputTypes=_list(STR),
    platforms=_list(STR),
    categories=_list(STR),
    usedBy=_list(STR),
    fundedBy=_list(_ORGANISATION),
    roadmap=URL,
    developmentStatus=STR,
    softwareType=STR,
    supports=_list(_struct(id=STR)),
    intendedAudience=_struct(scope=_list(STR), countries=_list(STR), unsupportedCountries=_list(STR)),
    description=_map(
        _struct(
            localisedName=STR, genericName=STR, shortDescription=STR, longDescription=STR,
            documentation=URL, apiDocumentation=URL, features=_list(STR), screenshots=_list(STR),
            videos=_list(URL), awards=_list(STR),
        )
    ),
    legal=_struct(license=STR, mainCopyrightOwner=STR, repoOwner=STR, authorsFile=STR),
    maintenance=_struct(
        type=STR,
        contractors=_list(_struct(name=STR, email=STR, website=URL, until=STR)),
        contacts=_list(_struct(name=STR, email=STR, affiliation=STR, phone=STR)),
    ),
    localisation=_struct(localisationReady=BOOL, availableLanguages=_list(STR)),
    dependsOn=_struct(open=_list(_DEPENDENCY), proprietary=_list(_DEPENDENCY), hardware=_list(_DEPENDENCY)),
    IT=_IT_SECTION,
    it=_IT_SECTION,
)

NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"


def _decode(node, spec, errors):
    """Decode node by spec; None for null. Raises _DecodeError for a type mismatch."""
    if node.kind == "scalar" and node.tag == NULL_TAG:
        return None
    if spec in (STR, URL):
        if node.kind != "scalar":
            raise _DecodeError(node)
        return node.value
    if spec == BOOL:
        if node.kind != "scalar" or node.tag != _BOOL_TAG:
            raise _DecodeError(node)
        return node.value.lower() == "true"
    if spec == URLS:
        if node.kind == "scalar":
            return [node.value]
        return _decode(node, _list(URL), errors)
    kind, inner = spec
    if kind == "list":
        if node.kind != "seq":
            raise _DecodeError(node)
        return [_decode(item, inner, errors) for item in node.value]
    if kind == "map":
        if node.kind != "map":
            raise _DecodeError(node)
        result = {}
        for key, value in node.value:
            result[key.value if key.kind == "scalar" else str(key.value)] = _decode(value, inner, errors)
        return result
    # struct: a failing field stays unset, the first failure is kept and raised at the end.
    if node.kind != "map":
        raise _DecodeError(node)
    by_key = {}
    for key, value in node.value:
        name = key.value if key.kind == "scalar" else None
        if name in by_key:
            raise _DecodeError(key, 'mapping key "%s" already defined' % name, key_node=key)
        by_key[name] = (key, value)
    result, first = {}, None
    for name, field_spec in inner.items():
        if name not in by_key:
            continue
        try:
            result[name] = _decode(by_key[name][1], field_spec, errors)
        except _DecodeError as exc:
            first = first or exc
    if first is None:
        for name, (key, _value) in by_key.items():
            if name not in inner:
                first = _DecodeError(key, 'unknown field "%s"' % key.value, key_node=key)
                break
    if first is not None:
        errors.append(first)
        raise first
    return result


def decode_document(root):
    """Decode the document like the Go decoder: report the first failure, drop its field."""
    errors = []
    data = {}
    by_key = {}
    first = None
    for key, value in root.value:
        name = key.value if key.kind == "scalar" else None
        if name in by_key and first is None:
            first = _DecodeError(key, 'mapping key "%s" already defined' % name, key_node=key)
        by_key[name] = (key, value)
    for name, spec in SCHEMA_V0[1].items():
        if name not in by_key:
            continue
        try:
            data[name] = _decode(by_key[name][1], spec, errors)
        except _DecodeError as exc:
            first = first or exc
    if first is None:
        for name, (key, _value) in by_key.items():
            if name not in SCHEMA_V0[1]:
                first = _DecodeError(key, 'unknown field "%s"' % key.value, key_node=key)
                break
    decode_errors = []
    if first is not None:
        line = first.node.line
        decode_errors.append(
            error(key_at_line(root, line, ""), first.description or "wrong type for this field", line, 1)
        )
    return data, decode_errors
