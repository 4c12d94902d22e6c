"""Our publiccode.yml validator against the reference corpus of italia/publiccode-parser-go.

The corpus lives in ../shared/conformance/publiccode beside the checkout (others maintain it;
it is read in place, never copied). Every file the reference judged is run with the network
off; where the reference's verdict depends on the network, its verdict without the network
(`no_network_test`, else `valid_without_network`) is the one we must match. The agreement is
reported in docs/publiccode.md.
"""
import json
from pathlib import Path

import pytest

from store.publiccode import validate_publiccode

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT_ROOT.parent / "shared" / "conformance" / "publiccode"
MIN_AGREEMENT = 0.98

# Files on which we knowingly differ from the reference, with the reason (docs/publiccode.md).
KNOWN_DISAGREEMENTS = {
    "v0/invalid/fundedBy_uri_wrong_italian_pa2.yml":
        "the reference looks iPA codes up in the full iPA register; we check their form only",
    "v0/invalid/organisation_uri_wrong_italian_pa2.yml":
        "the reference looks iPA codes up in the full iPA register; we check their form only",
    "v0/invalid/it_riuso_codiceIPA_invalid.yml":
        "the reference looks iPA codes up in the full iPA register; we check their form only",
}

pytestmark = pytest.mark.skipif(
    not (CORPUS / "expected.json").is_file(),
    reason="reference corpus not found at %s (../shared is not beside this checkout)" % CORPUS,
)


def _expected():
    if not (CORPUS / "expected.json").is_file():
        return {}
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


EXPECTED = _expected()


def offline_expectation(entry):
    """(valid, errors) that the reference gives with the network off, or None if untested."""
    if entry.get("valid") is None:
        return None
    if "no_network_test" in entry:
        return entry["no_network_test"]["valid"], entry["no_network_test"]["errors"]
    errors = [error for error in entry["errors"] if not error.get("network_only")]
    return entry.get("valid_without_network", entry["valid"]), errors


CASES = sorted(
    path for path, entry in EXPECTED.items() if path != "_meta" and offline_expectation(entry) is not None
)
UNTESTED = sorted(path for path, entry in EXPECTED.items() if path != "_meta" and entry.get("valid") is None)


def run(relative_path):
    path = CORPUS / relative_path
    return validate_publiccode(path.read_bytes(), base_dir=path.parent, network=False)


def keys(errors):
    return sorted(error["key"] for error in errors)


def descriptions(errors):
    return sorted(
        (error["key"], error["description"].replace("{corpus_root}", str(CORPUS))) for error in errors
    )


@pytest.mark.parametrize("relative_path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DISAGREEMENTS[p]))
    if p in KNOWN_DISAGREEMENTS else p
    for p in CASES
])
def test_verdict_matches_the_reference(relative_path):
    valid, _errors = offline_expectation(EXPECTED[relative_path])

    result = run(relative_path)

    assert result.valid == valid, [(e["key"], e["description"]) for e in result.errors]


def test_files_no_reference_test_covers_are_rejected_as_unsupported_versions():
    # v1/valid/valid.yml and v1/*/no-network/*.yml: no Go test reads them; all say "1".
    for relative_path in UNTESTED:
        result = run(relative_path)
        assert [e["key"] for e in result.errors] == ["publiccodeYmlVersion"], relative_path
        assert result.errors[0]["description"].startswith("unsupported version: '1'.")


def test_agreement_with_the_reference(record_property, capsys):
    verdicts = error_keys = messages = positions = warnings = 0
    for relative_path in CASES:
        valid, errors = offline_expectation(EXPECTED[relative_path])
        result = run(relative_path)
        verdicts += result.valid == valid
        error_keys += keys(result.errors) == keys(errors)
        messages += descriptions(result.errors) == descriptions(errors)
        positions += sorted((e["key"], e["line"], e["column"]) for e in result.errors) == sorted(
            (e["key"], e["line"], e["column"]) for e in errors
        )
        warnings += descriptions(result.warnings) == descriptions(EXPECTED[relative_path].get("warning_details", []))
    total = len(CASES)
    report = {
        "files": total,
        "verdict_agreement": verdicts / total,
        "error_key_agreement": error_keys / total,
        "error_message_agreement": messages / total,
        "error_position_agreement": positions / total,
        "warning_agreement": warnings / total,
    }
    for name, value in report.items():
        record_property(name, value)
    with capsys.disabled():
        print("\npubliccode.yml conformance: " + ", ".join(
            "%s=%s" % (k, v if k == "files" else "%.2f %%" % (100 * v)) for k, v in report.items()
        ))

    assert total > 300
    assert verdicts / total >= MIN_AGREEMENT
    assert total - verdicts == len(KNOWN_DISAGREEMENTS)
