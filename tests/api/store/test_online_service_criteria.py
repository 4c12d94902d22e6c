"""The contract's OnlineService criteria and interfaces, and the mutations that record them."""
ONLINE_SERVICE_QUERY = """
query OnlineService($slug: String!) {
  onlineService(slug: $slug) {
    efaCriteria { code met detail } efaConformant connectedStatesCount
    interfaces { standard { identifier name } version role }
    basisComponents { code } politicalSupport expertResources itProviderCapacity
  }
}
"""

ASSESS_EFA_CRITERION_MUTATION = """
mutation AssessEfaCriterion($input: AssessEfaCriterionInput!) {
  assessEfaCriterion(input: $input) { onlineService { efaCriteria { code met detail } } errors { field code message } }
}
"""

SET_INTERFACE_MUTATION = """
mutation SetInterface($input: SetInterfaceInput!) {
  setInterface(input: $input) { interface { standard { name } version role } errors { field code message } }
}
"""


def test_online_service_shows_criteria_and_interfaces(graphql):
    service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"})["onlineService"]

    assert [c["code"] for c in service["efaCriteria"]] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    assert {c["code"] for c in service["efaCriteria"] if c["met"]} == {"C1", "C2", "C3", "C4", "C5", "C7"}
    assert service["efaConformant"] is False and service["connectedStatesCount"] == 1
    assert {"standard": {"identifier": "urn:xoev-de:fitko:standard:fit-connect-submission-api",
                         "name": "FIT-Connect Submission API"}, "version": "1.0.0", "role": "SENDER"} in service["interfaces"]
    assert {"code": "fit-connect"} in service["basisComponents"] and service["politicalSupport"] is True


def test_maintainer_assesses_a_criterion(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="geburtsurkunde"))

    result = graphql.data(ASSESS_EFA_CRITERION_MUTATION, {"input": {
        "onlineService": "geburtsurkunde", "criterion": "C2", "met": True, "evidence": "Neutrale Oberfläche, Release 1.0"}},
        token=token)["assessEfaCriterion"]

    assert result["errors"] == []
    c2 = next(c for c in result["onlineService"]["efaCriteria"] if c["code"] == "C2")
    assert c2 == {"code": "C2", "met": True, "detail": "Neutrale Oberfläche, Release 1.0"}


def test_c6_cannot_be_assessed(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="geburtsurkunde"))

    result = graphql.data(ASSESS_EFA_CRITERION_MUTATION, {"input": {
        "onlineService": "geburtsurkunde", "criterion": "C6", "met": True, "evidence": "x"}}, token=token)

    assert result["assessEfaCriterion"]["errors"][0]["field"] == "criterion"
    assert result["assessEfaCriterion"]["errors"][0]["code"] == "COMPUTED"


def test_maintainer_of_another_service_is_refused(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="bafoeg"))

    result = graphql.data(SET_INTERFACE_MUTATION, {"input": {
        "onlineService": "geburtsurkunde", "standard": "urn:xoev-de:fim:standard:xzufi", "version": "2.2.0",
        "role": "RECEIVER"}}, token=token)["setInterface"]

    assert result["interface"] is None and result["errors"][0]["code"] == "PERMISSION_DENIED"


def test_operator_sets_an_interface(graphql, make_user, make_token):
    token = make_token(make_user("ops", role="operator"))

    result = graphql.data(SET_INTERFACE_MUTATION, {"input": {
        "onlineService": "geburtsurkunde", "standard": "urn:xoev-de:fim:standard:xzufi", "version": "2.2.0",
        "role": "RECEIVER"}}, token=token)["setInterface"]

    assert result == {"interface": {"standard": {"name": "XZuFi"}, "version": "2.2.0", "role": "RECEIVER"}, "errors": []}
