"""In one process: mirrored entries refuse local writes (naming the field), the digest ignores
local-only fields, and the feed's `state` filter and `data` give a mirror what it applies."""
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from directory import services
from directory.federation import feed, mirror
from directory.models import Authority

WOHNGELD = "99107023000000"
ORIGIN = "https://bund.fitstore.example.org"
CHANGES = """query C($after: String, $first: Int, $state: String) {
  directoryChanges(after: $after, first: $first, state: $state) {
    pageInfo { hasNextPage endCursor } edges { cursor node { objectType action data } } } }"""


def _mirrored():
    return services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                       ars="09188", kind="DISTRICT", origin=ORIGIN, actor="test")


def _codes(error: ValidationError) -> dict:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("write, field", [
    (lambda a: services.update_authority(a, name="Lokal", actor="test"), "identifier"),
    (lambda a: services.deactivate_authority(a, actor="test"), "identifier"),
    (lambda a: services.register_endpoint(a, kind="EMAIL", address="x@lra.example", actor="test"), "authority"),
    (lambda a: services.assign_responsibility(a, leika_key=WOHNGELD, ars=["09188"], actor="test"), "authority"),
    (lambda a: services.withdraw_responsibility(a, leika_key=WOHNGELD, actor="test"), "authority"),
])
def test_a_mirrored_entry_is_not_written_locally(write, field):
    authority = _mirrored()
    before = feed.digest()

    with pytest.raises(ValidationError) as refused:
        write(authority)

    assert _codes(refused.value) == {field: ["MIRRORED"]}
    assert ORIGIN in refused.value.error_dict[field][0].message % refused.value.error_dict[field][0].params
    assert feed.digest() == before


@pytest.mark.django_db
def test_the_digest_follows_content_not_origin_or_ids(capsys):
    authority = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg",
                                            state_code="BY", ars="09188", kind="DISTRICT", actor="test")
    empty_ni = feed.digest("NI")
    first = feed.digest()
    Authority.objects.filter(pk=authority.pk).update(origin=ORIGIN, updated_at=authority.updated_at.replace(year=2000))
    assert feed.digest() == first
    Authority.objects.filter(pk=authority.pk).update(origin="")
    services.update_authority(authority, name="LRA Starnberg", actor="test")
    assert feed.digest() != first
    assert feed.digest("NI") == empty_ni
    call_command("directory_digest", "--state", "by")
    line = capsys.readouterr().out.strip()
    assert line.startswith("directory_digest BY: 1 entries") and line.split()[-1] == feed.digest("BY")[0]


@pytest.mark.django_db
def test_the_feed_filters_by_state_and_carries_the_data(graphql, make_user, make_token):
    token = make_token(make_user("gw", role="gateway"))
    by = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg", state_code="BY",
                                     ars="09188", kind="DISTRICT", actor="test")
    for number in range(3):
        services.register_authority(identifier=f"ni:amt-{number}", name=f"Amt {number}", state_code="NI", ars="03241",
                                    kind="DISTRICT", actor="test")
    services.assign_responsibility(by, leika_key=WOHNGELD, ars=["09188"], actor="test")
    services.withdraw_responsibility(by, leika_key=WOHNGELD, actor="test")

    seen, after = [], None
    while True:
        page = graphql.data(CHANGES, {"after": after, "first": 1, "state": "BY"}, token=token)["directoryChanges"]
        seen += [(edge["node"]["objectType"], edge["node"]["action"], edge["node"]["data"]) for edge in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert [item[:2] for item in seen] == [("Authority", "CREATED"), ("Responsibility", "CREATED"),
                                          ("Responsibility", "DELETED")]
    assert seen[0][2] == {"type": "authority", "identifier": "by:lra-starnberg", "name": "Landratsamt Starnberg",
                          "stateCode": "BY", "ars": "09188", "kind": "DISTRICT", "active": True}
    assert seen[1][2] is None  # deleted since: its deletion follows
    assert seen[2][2] == {"type": "responsibility", "authority": "by:lra-starnberg", "leikaKey": WOHNGELD}
    bad = graphql.execute(CHANGES, {"state": "XX"}, token=token)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.django_db
def test_follow_backs_off_while_the_source_cannot_be_read():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits, reasons = [], []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mirror.follow(f"http://127.0.0.1:{port}", "fst_x", min_wait=1, max_wait=10, sleep=sleep,
                      on_wait=lambda seconds, reason: reasons.append(reason), actor=mirror.MIRROR_ACTOR)
    assert waits == [2, 4, 8, 10, 10]
    assert all("cannot be read" in reason for reason in reasons)
