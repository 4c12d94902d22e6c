"""The framework agreement v1 (a DEMO text) loads idempotently from data/licensing/."""
import hashlib

from django.conf import settings

from licensing.models import FrameworkAgreement
from licensing.reference import load_framework_agreements


def test_loading_again_changes_nothing():
    again = load_framework_agreements(settings.DATA_DIR)  # the fixture loaded it once already

    agreement = FrameworkAgreement.objects.get(version="1")
    assert again == {"agreements": 1, "created": 0, "updated": 0}
    assert FrameworkAgreement.objects.count() == 1
    assert "DEMO" in agreement.title and "DEMO-TEXT" in agreement.text
    assert agreement.sha256 == hashlib.sha256(agreement.text.encode()).hexdigest()
    assert agreement.effective_from.isoformat() == "2021-01-01"
    assert FrameworkAgreement.current() == agreement


def test_a_changed_text_updates_the_row_and_its_hash():
    FrameworkAgreement.objects.filter(version="1").update(text="alt", sha256="0" * 64)

    counts = load_framework_agreements(settings.DATA_DIR)

    agreement = FrameworkAgreement.objects.get(version="1")
    assert counts["updated"] == 1 and agreement.text != "alt"
    assert agreement.sha256 == hashlib.sha256(agreement.text.encode()).hexdigest()
