"""The GraphQL schema documents itself: every type, field and input field has a description
(English, German term in parentheses where it helps). Only GraphQL's built-in scalars and the
introspection types (__Schema …) are exempt."""
from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType
from graphql.type import specified_scalar_types

from api.schema import schema


def _types():
    for name, graphql_type in schema.graphql_schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        yield name, graphql_type


def test_every_type_has_a_description():
    missing = [name for name, graphql_type in _types() if not (graphql_type.description or "").strip()]
    assert not missing, f"types without a description: {missing}"


def test_every_field_and_input_field_has_a_description():
    missing = [
        f"{name}.{field_name}"
        for name, graphql_type in _types()
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType))
        for field_name, field in graphql_type.fields.items()
        if not (field.description or "").strip()
    ]
    assert not missing, f"fields without a description: {missing}"


def test_query_and_mutation_are_described():
    assert schema.graphql_schema.query_type.description
    assert schema.graphql_schema.mutation_type.description
