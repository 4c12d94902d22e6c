"""Validation of publiccode.yml (standard v0) as the reference validator does it.

The reference is italia/publiccode-parser-go; keys and descriptions follow its wording so that
maintainers see the same messages here as on Developers Italia. The file is read with a YAML
1.2 core-schema resolver (``yes``/``on`` are strings, not booleans), decoded field by field the
way the Go decoder does (the first type error or unknown key is reported and the field it sits
in is dropped) and then checked rule by rule. Network checks (URL reachability, remote logos)
run only with ``network=True``.

Safety: files over 1 MiB, too many nodes after alias expansion (alias bombs) and too deep
nesting are refused before anything is built from them; no Python object is ever constructed
from YAML tags.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .decoding import NULL_TAG, decode_document
from .external import external_checks
from .rules import validate_fields
from .vocabularies import LATEST_VERSION, SUPPORTED_VERSIONS
from .yaml_tree import MAX_DEPTH, MAX_NODES, compose, error, position

__all__ = ["MAX_DEPTH", "MAX_FILE_SIZE", "MAX_NODES", "Result", "validate_publiccode"]

MAX_FILE_SIZE = 1024 * 1024


@dataclass
class Result:
    """The outcome of a validation: errors and warnings as the reference reports them."""

    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    parse: Any = None

    @property
    def valid(self) -> bool:
        return not self.errors


def validate_publiccode(data: bytes, *, base_dir: Path | None = None, network: bool = False) -> Result:
    """Validate a publiccode.yml given as bytes.

    ``base_dir`` is the directory against which relative ``logo``, ``screenshots`` and
    ``authorsFile`` paths are checked (skipped when None); ``network`` enables the checks that
    fetch URLs.
    """
    result = Result()
    if len(data) > MAX_FILE_SIZE:
        result.errors.append(error("", "file too large: %d bytes (limit %d)" % (len(data), MAX_FILE_SIZE)))
        return result
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        result.errors.append(error("", "Invalid UTF-8"))
        return result
    if text.startswith("\ufeff"):
        text = text[1:]
    root, problem = compose(text)
    if problem:
        result.errors.append(problem)
        return result
    if root is None or root.kind != "map":
        if root is None or (root.kind == "scalar" and root.tag == NULL_TAG):
            result.errors.append(error("publiccodeYmlVersion", "publiccodeYmlVersion is a required field"))
        else:
            result.errors.append(error("", "wrong type for this field", root.line, 1))
        return result

    version_node = next((v for k, v in root.value if k.value == "publiccodeYmlVersion"), None)
    if version_node is None:
        result.errors.append(error("publiccodeYmlVersion", "publiccodeYmlVersion is a required field"))
        return result
    if version_node.kind != "scalar" or version_node.tag != "tag:yaml.org,2002:str":
        line, column = position(root, "publiccodeYmlVersion")
        result.errors.append(error("publiccodeYmlVersion", "wrong type for this field", line, column))
        return result
    version = version_node.value
    if version not in SUPPORTED_VERSIONS:
        result.errors.append(error(
            "publiccodeYmlVersion",
            "unsupported version: '%s'. Supported versions: %s" % (version, ", ".join(SUPPORTED_VERSIONS)),
        ))
        return result
    if version != "0" and not version.startswith("0.7"):
        line, column = position(root, "publiccodeYmlVersion")
        result.warnings.append(error(
            "publiccodeYmlVersion",
            "v%s is not the latest version, use '0'. Parsing this file as v%s." % (version, LATEST_VERSION),
            line, column,
        ))

    parsed, decode_errors = decode_document(root)
    result.errors.extend(decode_errors)
    for key, description in validate_fields(parsed):
        result.errors.append(error(key, description, *position(root, key)))
    for is_error, key, description in external_checks(parsed, base_dir, network):
        entry = error(key, description, *position(root, key))
        (result.errors if is_error else result.warnings).append(entry)

    if result.valid:
        # As the reference: `IT` is always the section to read, and a deprecated codiceIPA
        # becomes the organisation's URI when there is no organisation.
        it_section = parsed.get("IT") or parsed.get("it")
        parsed.pop("it", None)
        if it_section is not None:
            parsed["IT"] = it_section
            code = (it_section.get("riuso") or {}).get("codiceIPA")
            if code and parsed.get("organisation") is None:
                parsed["organisation"] = {
                    "uri": "urn:x-italian-pa:" + code, "name": (parsed.get("legal") or {}).get("repoOwner"),
                }
        result.parse = parsed
    return result
