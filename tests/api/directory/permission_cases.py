"""Rows of the permissions matrix (tests/api/test_permissions_matrix.py) for the directory's
mutations, as plain data so that the matrix can take them with one line, as it takes licensing's:

    from .directory.permission_cases import DIRECTORY_CASES
    CASES += [Case(**case, allowed=Role(**allowed), denied=[Role(**role) for role in denied])
              for case, allowed, denied in DIRECTORY_CASES]

Each `variables(actor)`
creates what the call needs through the services: an authority of Bavaria (Landratsamt
Starnberg), which only Bavaria's directory maintainer (or an operator) may write.
"""
from graphql_relay import to_global_id

from directory import services

WOHNGELD = "99107023000000"


def _starnberg():
    return services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                       ars="09188", kind="DISTRICT", actor="test")


def _register_authority(actor):
    return {"input": {"identifier": "by:gemeinde-berg", "name": "Gemeinde Berg", "stateCode": "BY",
                      "ars": "091880113113", "kind": "MUNICIPAL"}}


def _update_authority(actor):
    _starnberg()
    return {"input": {"identifier": "by:lra-starnberg", "name": "LRA Starnberg"}}


def _deactivate_authority(actor):
    _starnberg()
    return {"input": {"identifier": "by:lra-starnberg"}}


def _register_endpoint(actor):
    _starnberg()
    return {"input": {"authority": "by:lra-starnberg", "kind": "EMAIL", "address": "post@lra-starnberg.example"}}


def _deactivate_endpoint(actor):
    endpoint = services.register_endpoint(_starnberg(), kind="EMAIL", address="post@lra-starnberg.example", actor="test")
    return {"input": {"endpoint": to_global_id("Endpoint", endpoint.pk)}}


def _assign_responsibility(actor):
    _starnberg()
    return {"input": {"authority": "by:lra-starnberg", "leikaKey": WOHNGELD, "ars": ["09188"]}}


def _withdraw_responsibility(actor):
    services.assign_responsibility(_starnberg(), leika_key=WOHNGELD, ars=["09188"], actor="test")
    return {"input": {"authority": "by:lra-starnberg", "leikaKey": WOHNGELD}}


# A public address (IANA's): the callback check resolves nothing for an IP literal, and no worker
# runs in these tests, so nothing is sent there.
CALLBACK = "https://192.0.43.10/hooks/fit-store"


def _subscribe(actor):
    return {"input": {"callbackUrl": CALLBACK, "state": "BY"}}


def _unsubscribe(actor):
    from directory.federation import webhooks

    subscription, _secret = webhooks.subscribe(actor, callback_url=CALLBACK, actor="test")
    return {"input": {"subscription": to_global_id("DirectoryChangeSubscription", subscription.pk)}}


def _document(field: str, input_type: str) -> str:
    return f"mutation M($input: {input_type}!) {{ {field}(input: $input) {{ errors {{ field code }} }} }}"


MAINTAINER_BY = {"role": "directory-maintainer", "state": "BY"}
OTHERS_FOR_BY = [{}, {"role": "gateway"}, {"role": "coordinator", "state": "BY"},
                 {"role": "directory-maintainer", "state": "NI"}, {"role": "maintainer", "online_service": "wohngeld"}]

DIRECTORY_CASES = [
    ({"mutation": field, "document": _document(field, input_type), "variables": variables}, MAINTAINER_BY, OTHERS_FOR_BY)
    for field, input_type, variables in (
        ("registerAuthority", "RegisterAuthorityInput", _register_authority),
        ("updateAuthority", "UpdateAuthorityInput", _update_authority),
        ("deactivateAuthority", "DeactivateAuthorityInput", _deactivate_authority),
        ("registerEndpoint", "RegisterEndpointInput", _register_endpoint),
        ("deactivateEndpoint", "DeactivateEndpointInput", _deactivate_endpoint),
        ("assignResponsibility", "AssignResponsibilityInput", _assign_responsibility),
        ("withdrawResponsibility", "WithdrawResponsibilityInput", _withdraw_responsibility),
    )
]

GATEWAY = {"role": "gateway"}
NOT_GATEWAYS = [{}, {"role": "coordinator", "state": "BY"}, {"role": "directory-maintainer", "state": "BY"},
                {"role": "maintainer", "online_service": "wohngeld"}]
DIRECTORY_CASES += [
    ({"mutation": field, "document": _document(field, input_type), "variables": variables}, GATEWAY, NOT_GATEWAYS)
    for field, input_type, variables in (
        ("subscribeDirectoryChanges", "SubscribeDirectoryChangesInput", _subscribe),
        ("unsubscribeDirectoryChanges", "UnsubscribeDirectoryChangesInput", _unsubscribe),
    )
]
