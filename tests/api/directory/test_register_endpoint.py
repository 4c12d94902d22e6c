"""`registerEndpoint` of the contract: a technical address of an authority, written by the
directory maintainer of the authority's state (or an operator)."""
import pytest

from directory.models import Endpoint
from fitstore.models import AuditEntry
from tests.api.directory.helpers import nothing_written

REGISTER_ENDPOINT_MUTATION = """
mutation RegisterEndpoint($input: RegisterEndpointInput!) {
  registerEndpoint(input: $input) {
    endpoint { kind address destinationId serviceUri certificate { fingerprintSha256 notAfter } }
    errors { field code message }
  }
}
"""

DESTINATION = "9d618546-0ff7-4e93-9f15-714e5dd1bf12"
FIT_CONNECT = {"authority": "by:lra-starnberg", "kind": "FIT_CONNECT", "address": "https://submission.fit-connect.example/v1",
               "destinationId": DESTINATION}


@pytest.fixture
def starnberg(directory):
    return directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")


def register(graphql, token, data):
    return graphql.data(REGISTER_ENDPOINT_MUTATION, {"input": data}, token=token)["registerEndpoint"]


def test_anonymous_is_refused(graphql, starnberg):
    with nothing_written():
        result = register(graphql, None, FIT_CONNECT)

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_other_roles_and_states_are_refused_like_a_missing_authority(graphql, make_user, make_token, starnberg, role, state):
    token = make_token(make_user("someone", role=role, state=state))

    with nothing_written():
        refused = register(graphql, token, FIT_CONNECT)
        missing = register(graphql, token, {**FIT_CONNECT, "authority": "by:does-not-exist"})

    assert refused == missing
    assert [error["code"] for error in refused["errors"]] == ["PERMISSION_DENIED"]


def test_the_states_maintainer_registers_a_fit_connect_destination(graphql, make_user, make_token, starnberg):
    user = make_user("maintainer", role="directory-maintainer", state="BY")

    result = register(graphql, make_token(user), FIT_CONNECT)

    assert result == {"endpoint": {"kind": "FIT_CONNECT", "address": FIT_CONNECT["address"], "destinationId": DESTINATION,
                                   "serviceUri": None, "certificate": None}, "errors": []}
    assert AuditEntry.objects.latest("id").actor == user


def test_osci_xta_with_its_certificate(graphql, make_user, make_token, starnberg, certificates):
    token = make_token(make_user("ops", role="operator"))

    result = register(graphql, token, {"authority": "by:lra-starnberg", "kind": "OSCI_XTA",
                                       "address": "https://osci.lra-starnberg.example/xta",
                                       "serviceUri": "urn:de:xta:webservice:wohngeld", "certificatePem": certificates.valid})

    assert result["errors"] == []
    assert result["endpoint"]["certificate"]["fingerprintSha256"] == certificates.valid_fingerprint
    assert Endpoint.objects.get().certificate_subject.endswith("C=DE")


@pytest.mark.parametrize(
    "data, field, code",
    [
        ({"kind": "REST", "address": "http://lra-starnberg.example/api"}, "address", "INVALID_ADDRESS"),
        ({"kind": "EMAIL", "address": "not an address"}, "address", "INVALID_ADDRESS"),
        ({"kind": "FIT_CONNECT", "address": "https://fc.example/v1", "destinationId": ""}, "destinationId", "REQUIRED"),
        ({"kind": "FIT_CONNECT", "address": "https://fc.example/v1", "destinationId": "123"},
         "destinationId", "INVALID_DESTINATION_ID"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta"}, "certificatePem", "CERTIFICATE_REQUIRED"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta", "certificatePem": "GARBAGE"},
         "certificatePem", "INVALID_CERTIFICATE"),
        ({"kind": "OSCI_XTA", "address": "https://osci.example/xta", "certificatePem": "EXPIRED"},
         "certificatePem", "CERTIFICATE_EXPIRED"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(graphql, make_user, make_token, starnberg, certificates,
                                                     data, field, code):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))
    pem = {"GARBAGE": certificates.garbage, "EXPIRED": certificates.expired}
    if data.get("certificatePem") in pem:
        data = {**data, "certificatePem": pem[data["certificatePem"]]}

    with nothing_written():
        result = register(graphql, token, {"authority": "by:lra-starnberg", **data})

    assert result["endpoint"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
