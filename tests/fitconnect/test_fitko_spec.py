"""Schemathesis generates requests from FITKO's own Routing API specification (read from
../shared, not copied into the project) and checks our answers against it: status codes,
media types, bodies and headers as declared, no server errors.

One check is left out: "schema-valid request rejected". FITKO's text requires exactly one of
ars, ags and areaId, a rule its schema cannot express, so schema-valid requests that give two
are rightly refused with 400 (tests/fitconnect/test_routing_api.py covers them).
"""
from pathlib import Path

import pytest

SPEC = Path(__file__).resolve().parents[3] / "shared" / "data" / "fitconnect" / "routing-api.yaml"

if not SPEC.exists():
    pytest.skip("../shared/data/fitconnect/routing-api.yaml is not beside this checkout", allow_module_level=True)

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from tests.fitconnect.test_routing_api import district_office  # noqa: E402,F401
from tests.fitconnect.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_path(SPEC)
schema.app = application


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_answers_conform_to_fitkos_specification(case, district_office):  # noqa: F811
    case.call_and_validate(base_url="http://localhost/fit-connect/v1", excluded_checks=[positive_data_acceptance])
