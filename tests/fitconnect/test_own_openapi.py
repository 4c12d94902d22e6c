"""Our own OpenAPI description of the routing endpoints matches what they answer (schemathesis).

As with FITKO's specification, "schema-valid request rejected" is left out: exactly one of
ars, ags and areaId is a rule of the text, not of the schema.
"""
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.fitconnect.test_routing_api import district_office  # noqa: F401
from tests.fitconnect.wsgi import application

OWN_SPEC = Path(__file__).resolve().parents[2] / "directory" / "openapi" / "fit-connect-routing.yaml"
schema = schemathesis.openapi.from_path(OWN_SPEC)
schema.app = application


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_answers_conform_to_our_own_description(case, district_office):  # noqa: F811
    case.call_and_validate(base_url="http://localhost/fit-connect/v1", excluded_checks=[positive_data_acceptance])
