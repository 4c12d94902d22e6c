"""The read-permission matrix, beside the mutation matrix (test_permissions_matrix.py): for every
object type of the schema, every role and anonymous callers, what a query by `node(id:)`, by a
list and by each nested field returns (docs/security.md, "Who may read what").

The cases live beside each domain's operation tests (`<domain>/read_cases.py`, vocabulary in
`reads.py`). Three guards keep the matrix whole:
- `test_every_type_has_a_read_rule`: every object type reachable in the schema (found by
  introspection) has a case; a new type without one fails;
- `test_every_field_that_is_not_public_is_read_in_the_matrix`: every field of a type that is not
  public, and every field that returns one, is asked for by some case's query; a new field (say,
  a subscription's signatures) without one fails;
- `test_every_type_is_in_the_security_table`: docs/security.md names every type.
Every answer is also checked for counts that say more than the lists: `totalCount` against the
edges, a search's total and facets against its hits, `connectedStatesCount` against the
subscriptions listed.
"""
import re
from pathlib import Path as FilePath

import pytest
from graphql import GraphQLInterfaceType, GraphQLObjectType, TypeInfo, TypeInfoVisitor, get_named_type, parse, visit
from graphql.language import Visitor

from api.schema import schema
from tests.directory.fixtures import certificates  # noqa: F401  (the fixture)

from .accounts.read_cases import ACCOUNT_READS
from .directory.read_cases import DIRECTORY_READS
from .licensing.read_cases import LICENSING_READS
from .reads import ROLES, Context, objects
from .store.read_cases import STORE_READS

READS = ACCOUNT_READS + DIRECTORY_READS + LICENSING_READS + STORE_READS
SECURITY_DOC = FilePath(__file__).resolve().parents[2] / "docs" / "security.md"
GRAPHQL = schema.graphql_schema


# --- The types and fields of the schema ----------------------------------------------------------

def _reachable(root: GraphQLObjectType) -> set[str]:
    """Names of the object types reachable from `root` through fields (and interfaces' types)."""
    seen, todo = set(), [root]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for field in current.fields.values():
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType):
                todo.append(named)
            elif isinstance(named, GraphQLInterfaceType):
                todo.extend(GRAPHQL.get_possible_types(named))
    return seen


def _payloads() -> set[str]:
    """The mutations' payload types (and their Error): returned only to a caller the mutation let
    in (the mutation matrix), holding objects whose types are read here."""
    return {get_named_type(field.type).name for field in GRAPHQL.mutation_type.fields.values()} | {"Error"}


def _structure() -> dict[str, str]:
    """Types without data of their own → the type whose rule they follow: the roots, connections
    and edges (their node's), PageInfo."""
    structure = {GRAPHQL.query_type.name: "", GRAPHQL.mutation_type.name: "", "PageInfo": ""}
    for name, graphql_type in GRAPHQL.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and re.search(r"(Connection|Edge)$", name):
            if "node" in graphql_type.fields:  # an edge
                structure[name] = get_named_type(graphql_type.fields["node"].type).name
            elif "edges" in graphql_type.fields:  # a connection: its edges' node
                edge = get_named_type(graphql_type.fields["edges"].type)
                structure[name] = get_named_type(edge.fields["node"].type).name
    return structure


def schema_types() -> set[str]:
    payloads = _payloads()
    from_mutations = set().union(*(_reachable(GRAPHQL.get_type(name)) for name in payloads)) - payloads
    return (_reachable(GRAPHQL.query_type) | from_mutations) - set(_structure())


def rules_by_type(reads=READS) -> dict[str, set[str]]:
    """GraphQL type → the names of the rules its cases follow (connections and edges: their node's)."""
    rules = {}
    for read in reads:
        rules.setdefault(read.type, set()).add(read.rule)
    for name, node in _structure().items():
        if node in rules:
            rules[name] = rules[node]
    return rules


def selected_fields(document: str) -> set[tuple[str, str]]:
    """(parent type, field) of every field a query selects."""
    type_info, found = TypeInfo(GRAPHQL), set()

    class Fields(Visitor):
        def enter_field(self, node, *args):
            parent = type_info.get_parent_type()
            if parent is not None:
                found.add((parent.name, node.name.value))

    visit(parse(document), TypeInfoVisitor(type_info, Fields()))
    return found


def test_every_type_has_a_read_rule():
    missing = schema_types() - set(rules_by_type())
    stale = {read.type for read in READS} - schema_types()

    assert not missing, f"add a read case (tests/api/<domain>/read_cases.py) for {sorted(missing)}"
    assert not stale, f"read cases for types the schema no longer has: {sorted(stale)}"


def test_a_type_without_a_case_is_found():
    fewer = [read for read in READS if read.type not in {"Certificate", "Authority"}]

    assert schema_types() - set(rules_by_type(fewer)) == {"Certificate", "Authority"}


def test_every_node_type_is_read_by_node():
    nodes = {graphql_type.name for graphql_type in GRAPHQL.get_possible_types(GRAPHQL.get_type("Node"))}
    by_node = {read.type for read in READS for path in read.paths if ("Query", "node") in selected_fields(path.document)}

    assert nodes - by_node == set()


def test_every_field_that_is_not_public_is_read_in_the_matrix():
    rules = rules_by_type()
    restricted = {name for name, type_rules in rules.items() if type_rules != {"public"}}
    asked = set().union(*(selected_fields(path.document) for read in READS for path in read.paths))
    payloads = _payloads()
    needed = set()
    for name, graphql_type in GRAPHQL.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or name.startswith("__") or name in payloads:
            continue
        for field_name, field in graphql_type.fields.items():
            if name in restricted or get_named_type(field.type).name in restricted | {"Node"}:
                needed.add((name, field_name))

    assert needed - asked == set(), "ask for these fields in a read case"


def test_every_type_is_in_the_security_table():
    text = SECURITY_DOC.read_text(encoding="utf-8")
    section = text[text.index("## Who may read what"):]
    section = section[:section.index("\n## ", 4)]
    named = set(re.findall(r"`([A-Z][A-Za-z]+)`", section))

    assert schema_types() - named == set(), "name these types in docs/security.md, Who may read what"


# --- The matrix -------------------------------------------------------------------------------

@pytest.fixture
def readers(make_user, make_token):
    """A user and a token for every role of the matrix (None for anonymous callers)."""
    users, tokens = {}, {}
    for name, role in ROLES.items():
        if role is None:
            users[name] = tokens[name] = None
            continue
        users[name] = make_user(f"lesende-{name}", **role)
        tokens[name] = make_token(users[name])
    return users, tokens


def _errors_allowed(content, role) -> list:
    """Errors other than an anonymous caller's UNAUTHENTICATED (the directory needs a token)."""
    return [error for error in content.get("errors", [])
            if not (role == "anonymous" and error.get("extensions", {}).get("code") == "UNAUTHENTICATED")]


def counts_that_say_more_than_the_lists(data) -> list[str]:
    """Counts in the answer that do not agree with what the answer lists."""
    wrong = []
    for item in objects(data):
        if "totalCount" in item and "edges" in item and item.get("pageInfo", {}).get("hasNextPage") is False:
            if item["totalCount"] != len(item["edges"]):
                wrong.append(f"totalCount {item['totalCount']} for {len(item['edges'])} edges")
        if "totalCount" in item and "hits" in item and item["totalCount"] <= 100:
            if item["totalCount"] != len(item["hits"]):
                wrong.append(f"search totalCount {item['totalCount']} for {len(item['hits'])} hits")
            for facet in item.get("facets", []):
                if sum(bucket["count"] for bucket in facet["buckets"]) > item["totalCount"]:
                    wrong.append(f"facet {facet['name']} counts more than the {item['totalCount']} hits")
        if "connectedStatesCount" in item and "subscriptions" in item:
            connected = {s["state"]["code"] for s in item["subscriptions"] if s["status"] == "CONNECTED"}
            if item["connectedStatesCount"] != 1 + len(connected):
                wrong.append(f"connectedStatesCount {item['connectedStatesCount']} for {len(connected)} listed")
    return wrong


CASES = [pytest.param(read, path, id=f"{read}-{path.name}") for read in READS for path in read.paths]


@pytest.mark.parametrize("read, path", CASES)
def test_who_finds_the_object(read, path, graphql, readers, certificates,  # noqa: F811
                              django_capture_on_commit_callbacks):
    users, tokens = readers
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search on commit
        variables = read.make(Context(actors=users, certificates=certificates))
    expected = read.readers if path.readers is None else path.readers
    sent = {name: value for name, value in variables.items() if name != "marker"}

    answers, wrong = {}, {}
    for role in ROLES:
        content = graphql.execute(path.document, sent, token=tokens[role])
        assert not _errors_allowed(content, role), (role, content["errors"])
        assert not counts_that_say_more_than_the_lists(content.get("data")), (role, content)
        answers[role] = read.found(content.get("data"), variables, users[role])
        if answers[role] != (role in expected):
            wrong[role] = "finds it" if answers[role] else "does not find it"

    assert not wrong, f"{read} by {path.name}: {wrong}"
