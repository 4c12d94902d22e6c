"""The vocabulary of the read-permission matrix (tests/api/test_read_matrix.py): the roles that
read, who of them finds an object, and how a case says where the object is read.

Each domain keeps its cases beside its operation tests (`tests/api/<domain>/read_cases.py`), as
the mutation matrix keeps its rows (`permission_cases.py`). A case (`Read`) names a GraphQL type,
the rule that governs it (a row of docs/security.md, "Who may read what"), how to make an object
of it, the roles that find that object, and the paths by which it is asked for: by `node(id:)`,
by a list and by each nested field that returns it. A path may narrow the readers (a list of the
caller's own webhook subscriptions does not list another gateway's, which an operator reads by
`node`).
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# Who reads: anonymous, a signed-in account without a role, and each role, scoped where the role
# is. The object of a subscription case is NW's subscription to Wohngeld (provided by MV): the
# "party" coordinators are NW's (subscribing) and MV's (providing), the "party" maintainer
# Wohngeld's; BY's coordinator and Elterngeld's maintainer are strangers to it.
ROLES: dict[str, dict | None] = {
    "anonymous": None,
    "account": {},
    "operator": {"role": "operator"},
    "coordinator-party": {"role": "coordinator", "state": "NW"},
    "coordinator-provider": {"role": "coordinator", "state": "MV"},
    "coordinator-other": {"role": "coordinator", "state": "BY"},
    "directory-maintainer": {"role": "directory-maintainer", "state": "NW"},
    "maintainer-party": {"role": "maintainer", "online_service": "wohngeld"},
    "maintainer-other": {"role": "maintainer", "online_service": "elterngeld"},
    "gateway": {"role": "gateway"},
}
SUBSCRIBING_STATE, PROVIDED_SERVICE = "NW", "wohngeld"

EVERYONE = frozenset(ROLES)
ACCOUNTS = EVERYONE - {"anonymous"}
PARTIES = frozenset({"operator", "coordinator-party", "coordinator-provider", "maintainer-party"})
NOBODY = frozenset()


def values(data) -> Iterator:
    """Every leaf value of a GraphQL answer, depth first."""
    if isinstance(data, dict):
        for value in data.values():
            yield from values(value)
    elif isinstance(data, list):
        for value in data:
            yield from values(value)
    else:
        yield data


def objects(data) -> Iterator[dict]:
    """Every object (dict) of a GraphQL answer, depth first."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from objects(value)


def holds_marker(data, variables: dict, actor) -> bool:
    """The default test whether the caller found the object: the answer holds `variables["marker"]`
    (a global ID, a name only the object has), or `marker(actor)` where it depends on the caller."""
    marker = variables["marker"]
    if callable(marker):
        marker = marker(actor)
    return marker is not None and marker in values(data)


@dataclass(frozen=True)
class Context:
    """What a case's `make` is given: the users who read, by role name (None for anonymous), and
    the session's test certificates (tests/directory/fixtures.py)."""

    actors: dict
    certificates: object


@dataclass(frozen=True)
class Path:
    """A way to ask for the object: `name` says which ("node", "list authorities", "nested
    OnlineService.subscriptions"), `document` is the query (variables from the case's `make`)."""

    name: str
    document: str
    readers: frozenset | None = None  # who finds the object this way; None: the case's readers


@dataclass(frozen=True)
class Read:
    """One case of the matrix: an object of GraphQL type `type`, governed by `rule`, made by
    `make(context)` (returns the documents' variables and the `marker`), found by `readers` on
    every path unless the path says otherwise."""

    type: str
    rule: str
    make: Callable[[Context], dict]
    readers: frozenset
    paths: tuple[Path, ...]
    label: str = ""
    found: Callable[[dict, dict, object], bool] = field(default=holds_marker)

    def __str__(self):
        return f"{self.type}-{self.label}" if self.label else self.type
