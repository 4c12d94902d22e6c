"""Seeds the catalogue benchmark's database and counts the catalogue list's SQL queries.

Run inside Django (`manage.py shell -c "from bench.seed_catalogue import main; main()"`, as
bench/bench_catalogue.py does): registers online services through the store's services until
the catalogue holds 100, each with LeiKa services, life situations and a topic, then prints one
JSON line: the SQL queries of the catalogue list at 10 and at 100 online services per page, and
the names of all OZG-Leistungen (the search benchmark's queries).
"""
import json

CATALOGUE = """query OnlineServices($first: Int) {
  onlineServices(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id slug name lifecycle efaConformant connectedStatesCount
                   providerState { code } latestRelease { version publishedAt } } }
  }
}"""
TOTAL = 100


def seed() -> None:
    from directory.models import State
    from store import services
    from store.models import LeikaService, LifeSituation, OnlineService, OzgService

    states = list(State.objects.order_by("ars"))
    ozg = list(OzgService.objects.select_related("life_situation", "topic").order_by("ozg_id"))
    leika = list(LeikaService.objects.order_by("leika_key"))
    situations = list(LifeSituation.objects.order_by("pk"))
    number = 0
    while OnlineService.objects.count() < TOTAL:
        number += 1
        if OnlineService.objects.filter(slug=f"bench-{number}").exists():
            continue
        basis = ozg[(number * 7) % len(ozg)]
        services.register_online_service(
            slug=f"bench-{number}", name=f"{basis.name} (Benchmark {number})", provider_state=states[number % 16],
            summary=f"Online-Dienst für {basis.name}", description=f"Erzeugt für die Benchmarks: {basis.name}.",
            topic=basis.topic, life_situations=situations[number % 10:number % 10 + 2],
            services=leika[number * 3:number * 3 + 3], actor="bench",
        )


def count_queries(first: int) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", {"query": CATALOGUE, "variables": {"first": first}},
                               content_type="application/json", HTTP_HOST="127.0.0.1")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert len(body["data"]["onlineServices"]["edges"]) == min(first, TOTAL)
    return len(captured)


def main() -> None:
    from store.models import OnlineService, OzgService

    seed()
    print(json.dumps({
        "queries_10": count_queries(10), "queries_100": count_queries(100),
        "online_services": OnlineService.objects.count(),
        "ozg_names": list(OzgService.objects.order_by("ozg_id").values_list("name", flat=True)),
    }))
