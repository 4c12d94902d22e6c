"""The store's extension points (store.extensions): licensing answers the reuse queries and adds
the reuse panel; without an app that answers them the store and routing still work, as if
nobody reused anything (WithoutSubscriptions)."""
import pytest

from directory.routing import routes
from fitstore.sections import Section, Slot
from licensing.choices import SubscriptionStatus
from store import extensions
from store.criteria import efa_criteria
from store.filtersets import OnlineServiceFilterSet
from store.models import OnlineService
from tests.directory.fixtures import BERG, SCHWERIN, STARNBERG_DISTRICT, WOHNGELD, directory  # noqa: F401
from tests.licensing.support import subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_licensing():
    """The reuse queries as they are when no app answers them (licensing not installed)."""
    registered = extensions.reuse()
    extensions.register_reuse(extensions.WithoutSubscriptions())
    yield
    extensions.register_reuse(registered)


@pytest.fixture
def bavaria_connected_to_wohngeld(directory):  # noqa: F811
    for code, ars in (("by", STARNBERG_DISTRICT), ("mv", SCHWERIN)):
        authority = directory.authority(f"{code}:wohngeld", state=code.upper(), ars=ars, kind="DISTRICT")
        directory.responsible(authority, WOHNGELD, ars)
    subscription("BY", "wohngeld", SubscriptionStatus.CONNECTED)


def subscribed_by(code):
    return sorted(OnlineServiceFilterSet({"subscribed_by": code}, queryset=OnlineService.objects.all()).qs
                  .values_list("slug", flat=True))


def connected_states(slug) -> tuple[int, int, str]:
    """Counted, annotated on a list, and as criterion C6 says it (its first word: the number)."""
    online_service = OnlineService.objects.get(slug=slug)
    annotated = extensions.reuse().annotate_connected_states(OnlineService.objects.filter(slug=slug)).get()
    c6 = next(result for result in efa_criteria(online_service) if result.code == "C6")
    return (extensions.reuse().connected_states_count(online_service), annotated.connected_states_count,
            c6.detail.split()[0])


def test_licensing_answers_the_reuse_queries(bavaria_connected_to_wohngeld):
    assert routes(WOHNGELD, BERG)[0].online_service.slug == "wohngeld"  # through the connected subscription
    assert routes(WOHNGELD, SCHWERIN)[0].online_service.slug == "wohngeld"  # the provider state's own
    assert "wohngeld" in subscribed_by("BY")
    assert connected_states("wohngeld") == (2, 2, "2")  # MV, the provider, and BY


def test_without_licensing_each_service_serves_its_provider_state_alone(bavaria_connected_to_wohngeld,
                                                                       without_licensing, client):
    assert routes(WOHNGELD, BERG)[0].online_service is None
    assert routes(WOHNGELD, SCHWERIN)[0].online_service.slug == "wohngeld"
    assert subscribed_by("BY") == []
    assert connected_states("wohngeld") == (1, 1, "1")
    assert client.get("/katalog/wohngeld/").status_code == 200


def test_a_slot_gathers_the_sections_of_its_providers_in_order():
    slot = Slot("test page")
    first = Section("first.html", {"n": 1}, anchor="first", title="First")
    slot.register(lambda request, online_service: first)
    slot.register(lambda request, online_service: None)  # nothing to add for this page
    slot.register(lambda request, online_service: Section("last.html"))

    assert [section.template_name for section in slot.sections(None, None)] == ["first.html", "last.html"]
    assert Slot("empty").sections(None, None) == []


def test_the_online_service_page_shows_the_sections_registered_on_it(client):
    html = client.get("/katalog/wohngeld/").content.decode()

    assert '<li><a href="#reuse">Nachnutzung</a></li>' in html  # the table of contents names it
    assert '<div id="reuse" class="page-section">' in html and 'class="reuse-panel"' in html
