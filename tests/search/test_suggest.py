"""GET /suche/vorschlaege: search as you type for the UI's search box."""
from django.test.utils import override_settings


def test_suggestions_for_an_unfinished_word(client, db):
    response = client.get("/suche/vorschlaege", {"q": "wohng"})
    assert response.status_code == 200
    data = response.json()
    first = data["suggestions"][0]
    assert (first["kind"], first["label"], first["url"]) == ("service", "Wohngeld online beantragen", "/katalog/wohngeld/")
    assert first["kind_label"] in ("Online service", "Online-Dienst")  # German once the fragment is merged
    terms = [s for s in data["suggestions"] if s["kind"] == "term"]
    assert {"kind": "term", "kind_label": terms[0]["kind_label"], "label": "Wohngeld",
            "url": "/katalog/?q=Wohngeld"} in terms
    assert len(data["suggestions"]) <= 8
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["RateLimit-Limit"]


def test_suggestions_complete_the_last_word_after_the_first(client, db):
    data = client.get("/suche/vorschlaege", {"q": "Eltern dig"}).json()
    assert data["suggestions"][0]["url"] == "/katalog/elterngeld/"
    assert "Eltern digital" in [s["label"] for s in data["suggestions"] if s["kind"] == "term"]


def test_short_and_long_queries(client, db):
    assert client.get("/suche/vorschlaege", {"q": "w"}).json()["suggestions"] == []
    response = client.get("/suche/vorschlaege", {"q": "x" * 201})
    assert response.status_code == 400 and "q" in response.json()["error"]
    assert client.post("/suche/vorschlaege", {"q": "wohng"}).status_code == 405


def test_suggestions_are_rate_limited(client, db):
    with override_settings(RATE_LIMITS={"api-anonymous": (2, 60), "api-token": (10, 60), "login-account": (10, 900), "login-address": (100, 900)}):
        from django.core.cache import cache

        cache.clear()
        statuses = [client.get("/suche/vorschlaege", {"q": "wohng"}).status_code for _ in range(3)]
        cache.clear()
    assert statuses == [200, 200, 429]


def test_home_search_box_asks_for_suggestions(client, db):
    response = client.get("/")
    assert 'data-suggest-url="/suche/vorschlaege"' in response.text
    assert "fitstore/suggest.js" in response.text
