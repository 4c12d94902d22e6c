"""Reading another node over HTTP: its base URL, its GraphQL API with a token, its key set. Used
by the mirror (`sync_directory`), the trust in its keys and the check of a signed digest."""
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

USER_AGENT = "fit-store-mirror"


class SyncError(Exception):
    """The source could not be read, or what it sent could not be applied (nothing of that page is)."""


class TrustError(SyncError):
    """The source's keys are not trusted here: the operator has to act (confirm its keys, or hand
    over a trust anchor). A following mirror stops instead of retrying."""


def normalise_source(url: str) -> str:
    """The base URL of a node, from its base URL or its GraphQL endpoint's URL (…/graphql/)."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SyncError("--source must be the base URL of a node, e.g. https://fitstore.example.org")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SyncError("--source must use https (http only on this machine's loopback address)")
    if parts.query or parts.fragment:
        raise SyncError("--source must be the base URL of a node, without ? or #")
    if url.endswith("/graphql"):
        url = url[: -len("/graphql")]
    return url


def _read(request: urllib.request.Request, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise SyncError(f"the source answered {error.code}" + (" (is the token valid?)" if error.code == 401 else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SyncError(f"the source cannot be read: {error}") from None
    if not isinstance(content, dict):
        raise SyncError("the source answered something other than a JSON object")
    return content


def graphql(source: str, token: str, query: str, variables: dict, field: str, timeout: float = 30) -> dict:
    """`data[field]` of a GraphQL query to the source, with the gateway token."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        f"{source}/graphql/", data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
    )
    content = _read(request, timeout)
    if content.get("errors"):
        raise SyncError("the source refused: " + "; ".join(str(error.get("message", "?")) for error in content["errors"]))
    try:
        return content["data"][field]
    except (KeyError, TypeError):
        raise SyncError(f"the source's answer has no {field}") from None


def key_set(source: str, timeout: float = 30) -> dict:
    """The source's published key set (/.well-known/jwks.json), read past any cache."""
    request = urllib.request.Request(f"{source}/.well-known/jwks.json",
                                     headers={"Accept": "application/json", "Cache-Control": "no-cache",
                                              "User-Agent": USER_AGENT})
    document = _read(request, timeout)
    if not isinstance(document.get("keys"), list) or not document["keys"]:
        raise SyncError(f"{source}/.well-known/jwks.json holds no keys")
    return document
