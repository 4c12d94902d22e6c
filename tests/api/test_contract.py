"""Every operation of the public contract (../shared/contract/*.graphql) validates against the schema.

Operations that later issues build are expected failures, listed by name below; when one starts
to pass, the strict xfail fails and reminds us to take it off the list, so the list only shrinks.
"""
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from api.schema import schema

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "contract"

NOT_YET_BUILT = {
    "catalogue.graphql:Coverage": "issue 21: coverage of an online service, measured from the directory",
    "mutations.graphql:SignAgreement": "issue 17: both parties sign an administrative agreement",
}


def contract_operations():
    if not CONTRACT.is_dir():
        return []
    operations = []
    for path in sorted(CONTRACT.glob("*.graphql")):
        document = parse(path.read_text(encoding="utf-8"))
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                name = f"{path.name}:{definition.name.value}"
                marks = [pytest.mark.xfail(reason=NOT_YET_BUILT[name], strict=True)] if name in NOT_YET_BUILT else []
                operations.append(pytest.param(type(document)(definitions=[definition]), id=name, marks=marks))
    return operations


@pytest.mark.skipif(not CONTRACT.is_dir(), reason="../shared/contract is not beside this checkout")
@pytest.mark.parametrize("operation", contract_operations())
def test_contract_operation_validates(operation):
    errors = validate(schema.graphql_schema, operation)
    assert not errors, [error.message for error in errors]


@pytest.mark.skipif(not CONTRACT.is_dir(), reason="../shared/contract is not beside this checkout")
def test_expected_failures_name_real_operations():
    names = {param.id for param in contract_operations()}
    assert set(NOT_YET_BUILT) <= names
