"""Every mutation declares who may call it; BaseMutation refuses to define one that does not."""
import graphene
import pytest

from api.core.permissions import Allowed
from api.core.types import BaseMutation
from api.schema import Mutation
from fitstore.access import require_operator


def test_every_mutation_of_the_schema_declares_its_permission():
    mutations = {name: field.type for name, field in Mutation._meta.fields.items()}

    assert len(mutations) > 20
    for name, mutation in mutations.items():
        assert issubclass(mutation, BaseMutation) and isinstance(mutation.permission, Allowed), name


def test_a_mutation_without_a_permission_cannot_be_defined():
    with pytest.raises(TypeError, match="must declare who may call it"):
        class Forgetful(BaseMutation):  # noqa: F841
            class Arguments:
                input = graphene.String(required=True)

    class Declared(BaseMutation):
        class Arguments:
            input = graphene.String(required=True)

        permission = Allowed(require_operator)

    assert Declared.permission.check is require_operator
