"""What the store indexes for search (NetBox's per-app `search.py`): online services, with
the weight of each field. The backends (fitstore.search) know nothing of the store.

`find_leika_services` answers "which LeiKa services may this text mean" with the catalogue's
German search (synonyms, compounds: "Mietzuschuss" finds Wohngeld) for forms that ask for a
service by name.
"""
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation

from directory.models import State
from fitstore import search
from fitstore.search import Document, SearchIndex, register

from .choices import Lifecycle
from .models import LeikaService, OnlineService, Topic


@register
class OnlineServiceIndex(SearchIndex):
    name = "online_services"
    model = OnlineService
    # The name says what a service is; the OZG-Leistungen it implements are how the catalogue
    # names it; LeiKa names and the description add vocabulary, each word weakly.
    fields = {
        "name": 5.0,
        "ozg_services": 3.0,
        "summary": 2.0,
        "life_situations": 1.5,
        "topic": 1.0,
        "leika_services": 1.0,
        "description": 0.75,
        "provider_state": 0.5,
    }
    facets = {"topic": "Themenfeld", "provider_state": "Anbieterland", "lifecycle": "Lebenszyklus"}
    highlight_fields = ("name", "summary")

    def get_queryset(self):
        return OnlineService.objects.select_related("provider_state", "topic").prefetch_related(
            "life_situations",
            Prefetch("services", queryset=LeikaService.objects.select_related("ozg_service")),
        )

    def document(self, online_service) -> Document:
        services = list(online_service.services.all())
        return Document(
            object_id=str(online_service.pk),
            texts={
                "name": online_service.name,
                "ozg_services": sorted({s.ozg_service.name for s in services if s.ozg_service_id}),
                "summary": online_service.summary,
                "life_situations": [situation.name for situation in online_service.life_situations.all()],
                "topic": online_service.topic.name if online_service.topic_id else "",
                "leika_services": sorted({s.name for s in services}),
                "description": online_service.description,
                "provider_state": online_service.provider_state.name,
            },
            facets={
                "topic": online_service.topic.code if online_service.topic_id else None,
                "provider_state": online_service.provider_state.code,
                "lifecycle": online_service.lifecycle,
            },
        )

    def facet_labels(self, facet, values):
        if facet == "topic":
            return dict(Topic.objects.filter(code__in=values).values_list("code", "name"))
        if facet == "provider_state":
            return dict(State.objects.filter(code__in=values).values_list("code", "name"))
        if facet == "lifecycle":
            with translation.override("de"):
                return {value: str(Lifecycle(value).label) for value in values if value in Lifecycle.values}
        return super().facet_labels(facet, values)


RELEVANT_SHARE = 0.25  # of the best hit's score


@dataclass
class LeikaMatch:
    service: LeikaService
    online_service: OnlineService | None = None  # the catalogue's online service through which it was found
    exact: bool = False  # the service is called exactly so


def find_leika_services(text: str, *, limit: int = 12) -> list[LeikaMatch]:
    """The LeiKa services (with a key) that `text` may mean, best first: those called exactly so;
    those of the online services the catalogue's search finds for it (in the search's order, each
    service's by key; only the hits scoring at least a quarter of the best); those whose name
    contains it. Each service once; at most `limit`."""
    text = " ".join((text or "").split())
    if not text:
        return []
    with_key = LeikaService.objects.filter(leika_key__isnull=False)
    matches: dict[int, LeikaMatch] = {}
    for service in with_key.filter(name__iexact=text).order_by("leika_key")[:limit]:
        matches[service.pk] = LeikaMatch(service, exact=True)
    found = search.search(OnlineServiceIndex.name, text, size=5).hits
    # The online services the search ranks near the best; a word shared in passing ("Zuschuss") is not a match.
    hits = [hit.object_id for hit in found if hit.score >= RELEVANT_SHARE * found[0].score]
    online_services = OnlineService.objects.filter(pk__in=hits).prefetch_related(
        Prefetch("services", queryset=with_key.order_by("leika_key")))
    for online_service in sorted(online_services, key=lambda found: hits.index(str(found.pk))):
        for service in online_service.services.all():
            matches.setdefault(service.pk, LeikaMatch(service, online_service))
    if len(matches) < limit:
        for service in with_key.filter(name__icontains=text).exclude(pk__in=matches).order_by("name", "leika_key")[
                :limit - len(matches)]:
            matches[service.pk] = LeikaMatch(service)
    return list(matches.values())[:limit]
