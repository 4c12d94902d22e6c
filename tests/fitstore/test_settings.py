"""Settings from the environment: production passes `check --deploy`; the UI speaks German first."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def manage_check_deploy(tmp_path, **environment):
    """`manage.py check --deploy` in a fresh process with only the given variables set."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "FITSTORE_VAR_DIR": str(tmp_path / "var"),  # keeps a generated key out of the checkout
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "fitstore.example.org",
    "DATABASE_URL": "postgres://fitstore@db.example.org:5432/fitstore",
}


def signing_key_file(tmp_path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    path = tmp_path / "signing.pem"
    path.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(path)


def test_production_settings_pass_the_deploy_check(tmp_path):
    returncode, output = manage_check_deploy(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(50), DIRECTORY_SIGNING_KEY=signing_key_file(tmp_path), **PRODUCTION
    )

    assert returncode == 0, output
    assert "System check identified no issues" in output, output


def test_deploy_check_warns_when_secret_key_is_not_set(tmp_path):
    returncode, output = manage_check_deploy(tmp_path, DIRECTORY_SIGNING_KEY=signing_key_file(tmp_path), **PRODUCTION)

    assert returncode == 0, output
    assert "fitstore.W001" in output and "fitstore.W003" not in output, output


def test_deploy_check_warns_when_the_directory_signing_key_is_not_set(tmp_path):
    returncode, output = manage_check_deploy(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)

    assert returncode == 0, output
    assert "fitstore.W003" in output and "fitstore.W001" not in output, output


@pytest.mark.django_db
def test_home_page_is_german_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert b'<html lang="de">' in response.content
    assert "Online-Dienste suchen" in response.text


@pytest.mark.django_db
def test_home_page_is_english_when_the_browser_asks_for_it(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert b'<html lang="en">' in response.content
    assert "Search online services" in response.text


@pytest.mark.django_db
def test_home_page_is_english_when_the_language_cookie_says_so(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert b'<html lang="en">' in response.content
    assert "Search online services" in response.text


@pytest.mark.django_db
def test_language_switch_sets_the_cookie(client, settings):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/laender/"})

    assert response.status_code == 302 and response["Location"] == "/laender/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
