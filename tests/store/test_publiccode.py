"""store.publiccode: our own cases beside the reference corpus (test_publiccode_conformance.py)."""
import json
import time

import pytest
from django.core.management import call_command

from store.publiccode import external
from store.publiccode import MAX_FILE_SIZE, validate_publiccode

MINIMAL = """\
publiccodeYmlVersion: "0"
name: Medusa
url: "https://example.org/medusa.git"
releaseDate: 2024-05-01
platforms:
  - web
developmentStatus: stable
softwareType: standalone/web
description:
  de:
    shortDescription: Ein Fachverfahren für die Zulassung.
    longDescription: >
      Medusa nimmt Anträge entgegen, prüft sie und leitet sie über FIT-Connect an die
      zuständige Behörde weiter. Es ist Teil des EfA-Angebots und wird von mehreren Ländern
      nachgenutzt.
    features:
      - Antragsannahme
legal:
  license: EUPL-1.2
maintenance:
  type: community
  contacts:
    - name: Erika Mustermann
localisation:
  localisationReady: true
  availableLanguages:
    - de
"""


def validate(text, **kwargs):
    return validate_publiccode(text.encode() if isinstance(text, str) else text, **kwargs)


def error_keys(result):
    return [error["key"] for error in result.errors]


def test_a_minimal_file_is_valid_and_parsed():
    result = validate(MINIMAL)

    assert result.valid, result.errors
    assert result.warnings == []
    assert result.parse["name"] == "Medusa"
    # An unquoted date is fine: it is kept as the text written.
    assert result.parse["releaseDate"] == "2024-05-01"
    assert result.parse["localisation"]["localisationReady"] is True


def test_every_error_has_key_description_line_and_column():
    result = validate(MINIMAL.replace("developmentStatus: stable", "developmentStatus: finished"))

    assert result.errors == [{
        "key": "developmentStatus",
        "description": 'developmentStatus must be one of the following: "concept", "development", '
                       '"beta", "stable" or "obsolete"',
        "line": 7,
        "column": 1,
    }]
    assert result.parse is None


def test_missing_required_keys_are_named():
    text = "\n".join(
        line for line in MINIMAL.splitlines() if not line.startswith(("name:", "url:", "softwareType:"))
    )

    result = validate(text)

    assert sorted(error_keys(result)) == ["name", "softwareType", "url"]
    assert {e["description"] for e in result.errors} == {
        "name is a required field", "url is a required field", "softwareType is a required field",
    }


def test_a_file_without_version_or_with_version_1_is_refused():
    without = validate(MINIMAL.replace('publiccodeYmlVersion: "0"\n', ""))
    v1 = validate(MINIMAL.replace('publiccodeYmlVersion: "0"', 'publiccodeYmlVersion: "1"'))

    assert without.errors[0]["description"] == "publiccodeYmlVersion is a required field"
    assert v1.errors[0]["description"].startswith("unsupported version: '1'. Supported versions: 0, 0.2,")


def test_an_older_version_warns():
    result = validate(MINIMAL.replace('"0"', '"0.2"', 1))

    assert result.valid
    assert result.warnings[0]["description"] == "v0.2 is not the latest version, use '0'. Parsing this file as v0.7."


@pytest.mark.parametrize("license", ["EUPL-1.2", "MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"])
def test_spdx_expressions_are_accepted(license):
    assert validate(MINIMAL.replace("EUPL-1.2", license)).valid


@pytest.mark.parametrize("license", ["Proprietary-Bavaria", "MIT AND", "EUPL"])
def test_a_bad_spdx_expression_is_an_error(license):
    result = validate(MINIMAL.replace("EUPL-1.2", license))

    assert result.errors == [{
        "key": "legal.license", "description": "license must be a valid license (see https://spdx.org/licenses)",
        "line": 19, "column": 3,
    }]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "y"])
def test_yaml_1_1_booleans_are_strings_not_booleans(word):
    result = validate(MINIMAL.replace("localisationReady: true", "localisationReady: %s" % word))

    assert result.errors[0]["key"] == "localisation.localisationReady"
    assert result.errors[0]["description"] == "wrong type for this field"


def test_yes_stays_a_string_where_a_string_is_wanted():
    result = validate(MINIMAL.replace("name: Medusa", "name: yes"))

    assert result.valid
    assert result.parse["name"] == "yes"


def test_invalid_utf8_is_an_error():
    result = validate(MINIMAL.encode().replace(b"Medusa", b"Med\xffusa"))

    assert result.errors == [{"key": "", "description": "Invalid UTF-8", "line": 0, "column": 0}]


def test_an_alias_bomb_is_refused_quickly():
    lines = ['publiccodeYmlVersion: "0"', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append("%s: &%s [%s]" % (level, level, ",".join(["*" + previous] * 9)))
    started = time.monotonic()

    result = validate("\n".join(lines))

    assert time.monotonic() - started < 5
    assert not result.valid
    assert "alias expansion" in result.errors[0]["description"]


def test_deep_nesting_is_refused():
    result = validate('publiccodeYmlVersion: "0"\nname: ' + "[" * 5000 + "]" * 5000)

    assert not result.valid
    assert "deep" in result.errors[0]["description"]


def test_an_oversized_file_is_refused_before_parsing():
    padding = "# " + "x" * 80 + "\n"
    text = MINIMAL + padding * (MAX_FILE_SIZE // len(padding) + 1)

    result = validate(text)

    assert error_keys(result) == [""]
    assert result.errors[0]["description"].startswith("file too large")


def test_unknown_keys_are_errors():
    top = validate(MINIMAL + "foobar: 1\n")
    nested = validate(MINIMAL.replace("  license: EUPL-1.2", "  license: EUPL-1.2\n  licence: MIT"))

    assert top.errors[0] == {"key": "foobar", "description": 'unknown field "foobar"', "line": 28, "column": 1}
    assert nested.errors[0]["key"] == "legal.licence"
    assert nested.errors[0]["description"] == 'unknown field "licence"'


def test_maintenance_rules():
    contract_without_contractors = validate(MINIMAL.replace("type: community", "type: contract"))
    contractors_for_community = validate(MINIMAL.replace(
        "  contacts:", "  contractors:\n    - name: Firma\n      until: 2030-01-01\n  contacts:"
    ))

    assert [(e["key"], e["description"]) for e in contract_without_contractors.errors] == [
        ("maintenance.contractors", 'contractors is a required field when "type" is "contract"'),
    ]
    assert [(e["key"], e["description"]) for e in contractors_for_community.errors] == [
        ("maintenance.contractors", 'contractors must not be present unless "type" is "contract"'),
    ]


def test_language_keys_must_be_bcp47():
    assert validate(MINIMAL.replace("  de:", "  de-DE:")).valid
    result = validate(MINIMAL.replace("  de:", "  de_DE:"))

    assert [(e["key"], e["description"]) for e in result.errors] == [
        ("description", "description must be a valid BCP 47 language"),
    ]


def test_length_limits_count_grapheme_clusters():
    # 149 family emojis of 7 code points each: 149 clusters, too short for longDescription.
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
    start, end = MINIMAL.index("    longDescription"), MINIMAL.index("    features")
    result = validate(MINIMAL[:start] + '    longDescription: "%s"\n' % (family * 149) + MINIMAL[end:])

    assert [(e["key"], e["description"]) for e in result.errors] == [
        ("description.de.longDescription", "longDescription must be at least 150 characters in length"),
    ]


def test_network_checks_are_off_by_default(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(external, "_fetch", no_network)

    result = validate(MINIMAL + 'landingURL: "https://unreachable.invalid/"\nlogo: "https://example.org/logo.png"\n')

    assert result.valid


def test_network_checks_report_unreachable_urls(monkeypatch):
    def unreachable(url, **kwargs):
        raise OSError("not found")

    monkeypatch.setattr(external, "_fetch", unreachable)

    result = validate(MINIMAL + 'landingURL: "https://example.org/gone"\n', network=True)

    assert ("landingURL", "'https://example.org/gone' not reachable: not found") in [
        (e["key"], e["description"]) for e in result.errors
    ]


def test_relative_logo_is_checked_against_base_dir(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"not a png")

    missing = validate(MINIMAL + "logo: img/none.svg\n", base_dir=tmp_path)
    broken = validate(MINIMAL + "logo: logo.png\n", base_dir=tmp_path)
    absolute = validate(MINIMAL + "logo: /etc/logo.png\n", base_dir=tmp_path)

    assert missing.errors[0]["description"] == "no such file: %s" % (tmp_path / "img" / "none.svg")
    assert broken.errors[0]["description"] == "image: unknown format"
    assert absolute.errors[0]["description"] == "is an absolute path. Only relative paths or HTTP(s) URLs allowed"


def test_the_command_prints_one_json_object_per_path_and_fails_on_an_invalid_file(tmp_path, capsys):
    good = tmp_path / "good.yml"
    good.write_text(MINIMAL, encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(MINIMAL + "foobar: 1\n", encoding="utf-8")

    with pytest.raises(SystemExit) as exit_info:
        call_command("validate_publiccode", "--no-network", "--format", "json", str(good), str(bad))

    assert exit_info.value.code == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"path": str(good), "valid": True, "errors": [], "warnings": []},
        {"path": str(bad), "valid": False,
         "errors": [{"key": "foobar", "description": 'unknown field "foobar"'}], "warnings": []},
    ]


def test_the_command_succeeds_when_every_file_is_valid(tmp_path, capsys):
    good = tmp_path / "publiccode.yml"
    good.write_text(MINIMAL, encoding="utf-8")

    call_command("validate_publiccode", "--no-network", "--format", "json", str(good))

    assert json.loads(capsys.readouterr().out)["valid"] is True


def test_the_command_reports_an_unreadable_path(tmp_path, capsys):
    with pytest.raises(SystemExit):
        call_command("validate_publiccode", "--no-network", "--format", "json", str(tmp_path / "missing.yml"))

    line = json.loads(capsys.readouterr().out)
    assert line["valid"] is False and line["errors"][0]["key"] == ""


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://[::1]/", "http://10.0.0.1/logo.png", "http://169.254.169.254/"])
def test_network_checks_never_reach_private_addresses(url):
    # Every URL in the file is private, so the test sends nothing out either.
    text = MINIMAL.replace("https://example.org/medusa.git", "http://127.0.0.2/medusa.git")

    result = validate(text + 'landingURL: "%s"\n' % url, network=True)

    assert ("landingURL", "'%s' not reachable: host is not a public address" % url) in [
        (e["key"], e["description"]) for e in result.errors
    ]
