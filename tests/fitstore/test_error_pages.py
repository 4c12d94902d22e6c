"""German error pages in the site's frame (404, 403, 500, 400 and the sign-in's 429), a favicon
and a description on every page."""
import pytest
from django.urls import path

from fitstore import urls as site_urls

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("secret database detail")


urlpatterns = [path("kaputt/", _broken), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def assert_site_frame(response):
    text = response.text
    assert '<html lang="de">' in text and 'aria-label="Hauptnavigation"' in text  # the site's navigation
    assert 'href="/katalog/"' in text and 'rel="icon"' in text and '<meta name="description" content="' in text


def test_404_is_german_with_the_sites_navigation(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert_site_frame(response)
    assert "Seite nicht gefunden" in response.text and 'action="/katalog/"' in response.text


def test_403_says_what_to_do(client, make_user):
    client.force_login(make_user("andere", role="maintainer", online_service="wohngeld"))

    response = client.get("/katalog/bafoeg/bearbeiten/")

    assert response.status_code == 403
    assert_site_frame(response)
    assert "Angemeldet als andere" in response.text and "Rolle" in response.text


def test_500_names_the_request_id_and_no_internals(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/kaputt/", headers={"X-Request-ID": "anfrage-4711"})

    assert response.status_code == 500
    assert_site_frame(response)
    assert "anfrage-4711" in response.text and "secret" not in response.text and "Traceback" not in response.text


def test_the_sign_in_429_is_the_german_sign_in_page(client, settings, make_user):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-account": (1, 900)}
    client.post("/accounts/login/", {"username": "anna", "password": "falsch"})

    response = client.post("/accounts/login/", {"username": "anna", "password": "falsch"})

    assert response.status_code == 429
    assert_site_frame(response)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.text
    cache.clear()


@pytest.mark.parametrize("url", ["/", "/katalog/", "/katalog/wohngeld/", "/laender/", "/themen/2/", "/accounts/login/"])
def test_every_page_has_a_favicon_and_its_own_description(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_site_frame(response)
    description = response.text.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert len(description) > 40


def test_pages_describe_themselves_differently(client):
    descriptions = {url: client.get(url).text.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
                    for url in ("/", "/katalog/", "/katalog/wohngeld/", "/laender/")}

    assert len(set(descriptions.values())) == 4


def test_a_form_without_its_csrf_token_gets_the_german_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "anna", "password": "falsch"})

    assert response.status_code == 403
    assert_site_frame(response)
    assert "Das Formular ist abgelaufen" in response.text and "Nichts wurde gespeichert" in response.text
