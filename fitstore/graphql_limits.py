"""Limits on GraphQL documents, checked before anything executes.

- depth: how deeply selections nest (fragments followed);
- aliases: how many aliased fields a document has (aliases multiply work cheaply);
- cost: every field costs 1, times the page size of the connections around it (`first` or
  `last`, given literally or as a variable; a connection without either counts as a full page),
  as Saleor's query-cost validator does.

Depth and aliases are validation rules (cached with the parsed document); cost needs the
request's variables and is computed per request. Each refusal is a GraphQL error whose
`extensions.code` names the limit.
"""
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
    VariableNode,
)


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 50_000
    page_size: int = 100
    max_body_bytes: int = 100_000


LIMITS = Limits()


def _fragments(document) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _selections(selection_set, fragments, seen=frozenset()):
    """Fields of a selection set, fragments inlined (each fragment once per path)."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _selections(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                yield from _selections(fragments[name].selection_set, fragments, seen | {name})


def depth(selection_set, fragments) -> int:
    deepest = 0
    for field in _selections(selection_set, fragments):
        if field.name.value.startswith("__"):
            continue  # introspection is bounded by the schema
        deepest = max(deepest, 1 + depth(field.selection_set, fragments))
    return deepest


def _page_size(field: FieldNode, variables: dict) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value not in ("first", "last"):
            continue
        if isinstance(argument.value, IntValueNode):
            return max(int(argument.value.value), 0)
        if isinstance(argument.value, VariableNode):
            value = variables.get(argument.value.name.value)
            return max(int(value), 0) if isinstance(value, int) else None
    return None


def cost(selection_set, fragments, variables: dict, multiplier: int = 1) -> int:
    total = 0
    for field in _selections(selection_set, fragments):
        if field.name.value.startswith("__"):
            continue
        total += multiplier
        if field.selection_set is None:
            continue
        children = [child.name.value for child in _selections(field.selection_set, fragments)]
        is_connection = "edges" in children or "pageInfo" in children or "totalCount" in children
        inner = multiplier
        if is_connection:
            size = _page_size(field, variables)
            inner = multiplier * (LIMITS.page_size if size is None else max(size, 1))
        total += cost(field.selection_set, fragments, variables, inner)
    return total


class DepthAndAliasRule(ValidationRule):
    """Refuses documents nested deeper than `max_depth` or with more than `max_aliases` aliases."""

    def enter_document(self, node, *_args):
        fragments = _fragments(node)
        aliases = 0
        for definition in node.definitions:
            if isinstance(definition, OperationDefinitionNode):
                found = depth(definition.selection_set, fragments)
                if found > LIMITS.max_depth:
                    self.report_error(GraphQLError(
                        f"The query is nested {found} levels deep; at most {LIMITS.max_depth} are allowed.",
                        definition, extensions={"code": "QUERY_TOO_DEEP", "depth": found, "maxDepth": LIMITS.max_depth},
                    ))
        stack = [d.selection_set for d in node.definitions if getattr(d, "selection_set", None)]
        while stack:
            selection_set = stack.pop()
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    aliases += 1
                if getattr(selection, "selection_set", None) is not None:
                    stack.append(selection.selection_set)
        if aliases > LIMITS.max_aliases:
            self.report_error(GraphQLError(
                f"The document has {aliases} aliases; at most {LIMITS.max_aliases} are allowed.",
                node, extensions={"code": "TOO_MANY_ALIASES", "aliases": aliases, "maxAliases": LIMITS.max_aliases},
            ))


def cost_error(document, operation: OperationDefinitionNode, variables: dict) -> GraphQLError | None:
    found = cost(operation.selection_set, _fragments(document), variables or {})
    if found <= LIMITS.max_cost:
        return None
    return GraphQLError(
        f"The query would cost {found:,} points; at most {LIMITS.max_cost:,} are allowed. Ask for smaller pages.",
        operation, extensions={"code": "QUERY_TOO_COSTLY", "cost": found, "maxCost": LIMITS.max_cost},
    )
