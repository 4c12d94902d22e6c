"""The German catalogue is complete: no untranslated or fuzzy entry (run `make messages`)."""
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "fitstore" / "locale" / "de" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'((?:#[^\n]*\n)*)msgid ((?:"[^\n]*"\n)+)(?:msgid_plural [^\n]*\n(?:"[^\n]*"\n)*)?((?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)')


def entries():
    for comments, msgid, msgstrs in ENTRY.findall(PO.read_text(encoding="utf-8")):
        text = "".join(re.findall(r'"(.*)"', msgid))
        if text:
            yield text, comments, [
                "".join(re.findall(r'"(.*)"', part)) for part in re.split(r"msgstr(?:\[\d\])? ", msgstrs)[1:]
            ]


def test_every_message_is_translated_and_none_is_fuzzy():
    found = list(entries())
    untranslated = [msgid for msgid, _, strings in found if not all(strings)]
    fuzzy = [msgid for msgid, comments, _ in found if "fuzzy" in comments]

    assert len(found) > 100
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_the_compiled_catalogue_is_newer_than_its_source_in_content():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 1000
