import pytest


@pytest.fixture(autouse=True)
def framework_agreement(db):
    """The framework agreement v1 (load_demo will load it; loading again changes nothing)."""
    from .support import load_agreement

    load_agreement()
