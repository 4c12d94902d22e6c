"""Rows of the permissions matrix (tests/api/test_permissions_matrix.py) for the licensing
mutations, as plain data so that the matrix can take them with one line:

    from .licensing.permission_cases import LICENSING_CASES
    CASES += [Case(**case, allowed=Role(**allowed), denied=[Role(**role) for role in denied])
              for case, allowed, denied in LICENSING_CASES]

Each `variables(actor)` creates what the call needs (through the services) and loads the framework agreement itself.
"""
from graphql_relay import to_global_id

from tests.licensing.support import joined, load_agreement, subscription


def _gid(sub) -> str:
    return to_global_id("Subscription", sub.pk)


def _join(actor):
    load_agreement()
    return {"input": {"stateCode": "BY", "signatory": "Dr. Anna Muster"}}


def _withdraw(actor):
    load_agreement()
    joined("BY")
    return {"input": {"stateCode": "BY", "reason": "Test"}}


def _subscribe(actor):
    load_agreement()
    joined("BY")
    return {"input": {"onlineService": "wohngeld", "stateCode": "BY", "legalBasis": "FIT_STORE"}}


def _confirm(actor):
    load_agreement()
    return {"input": {"subscription": _gid(subscription("NW", "wohngeld")), "accept": True, "note": ""}}


def _connect(actor):
    load_agreement()
    return {"input": {"subscription": _gid(subscription("NW", "wohngeld", "ACTIVE"))}}


def _terminate(actor):
    load_agreement()
    return {"input": {"subscription": _gid(subscription("NW", "wohngeld", "CONNECTED")), "reason": "Test"}}


def _set_terms(actor):
    return {"input": {"onlineService": "wohngeld", "annualCost": "1000.00", "oneTimeCost": "0.00",
                      "allocationKey": "EQUAL", "license": "EUPL-1.2", "operatingModel": "CENTRAL",
                      "legalBases": ["FIT_STORE"]}}


def _document(field: str, input_type: str) -> str:
    return f"mutation M($input: {input_type}!) {{ {field}(input: $input) {{ errors {{ field code }} }} }}"


OTHERS_FOR_STATE_BY = [{}, {"role": "gateway"}, {"role": "operator"}, {"role": "coordinator", "state": "NW"},
                       {"role": "directory-maintainer", "state": "BY"},
                       {"role": "maintainer", "online_service": "wohngeld"}]
OTHERS_FOR_STATE_NW = [{}, {"role": "gateway"}, {"role": "operator"}, {"role": "coordinator", "state": "BY"},
                       {"role": "coordinator", "state": "MV"}, {"role": "directory-maintainer", "state": "NW"},
                       {"role": "maintainer", "online_service": "wohngeld"}]
OTHERS_FOR_WOHNGELD = [{}, {"role": "gateway"}, {"role": "operator"}, {"role": "coordinator", "state": "MV"},
                       {"role": "coordinator", "state": "NW"}, {"role": "maintainer", "online_service": "elterngeld"}]

LICENSING_CASES = [
    ({"mutation": "joinStore", "document": _document("joinStore", "JoinStoreInput"), "variables": _join},
     {"role": "coordinator", "state": "BY"}, OTHERS_FOR_STATE_BY),
    ({"mutation": "withdrawFromStore", "document": _document("withdrawFromStore", "WithdrawFromStoreInput"),
      "variables": _withdraw},
     {"role": "coordinator", "state": "BY"}, OTHERS_FOR_STATE_BY),
    ({"mutation": "subscribe", "document": _document("subscribe", "SubscribeInput"), "variables": _subscribe},
     {"role": "coordinator", "state": "BY"}, OTHERS_FOR_STATE_BY),
    ({"mutation": "confirmSubscription", "document": _document("confirmSubscription", "ConfirmSubscriptionInput"),
      "variables": _confirm},
     {"role": "maintainer", "online_service": "wohngeld"}, OTHERS_FOR_WOHNGELD),
    ({"mutation": "connectSubscription", "document": _document("connectSubscription", "ConnectSubscriptionInput"),
      "variables": _connect},
     {"role": "coordinator", "state": "NW"}, OTHERS_FOR_STATE_NW),
    ({"mutation": "terminateSubscription", "document": _document("terminateSubscription", "TerminateSubscriptionInput"),
      "variables": _terminate},
     {"role": "coordinator", "state": "NW"}, OTHERS_FOR_STATE_NW),
    ({"mutation": "setReuseTerms", "document": _document("setReuseTerms", "SetReuseTermsInput"), "variables": _set_terms},
     {"role": "maintainer", "online_service": "wohngeld"}, OTHERS_FOR_WOHNGELD),
]
