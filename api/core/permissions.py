"""Who may call a mutation, declared on the mutation (Saleor's `Meta.permissions`) and checked
by `BaseMutation` before it performs the mutation.

A mutation says `permission = Allowed(check, "input_field", ...)` with a check from an app's
`access.py`: it raises `PermissionDenied` (one answer for "not there" and "not allowed") or
returns the object the caller may act on, which the mutation then receives in place of the key
the caller sent (`as_`). Every mutation needs a signed-in caller; `BaseMutation` checks that
first.
"""
from collections.abc import Callable
from dataclasses import dataclass

from .types import pk_from_global_id


@dataclass(frozen=True)
class Allowed:
    """`check(user)`, or `check(user, input[argument])` where an argument is named (decoded from
    a Relay global ID of type `global_id` where given); with `as_`, the checked object replaces
    the argument in the input under that name."""

    check: Callable
    argument: str | None = None
    global_id: str | None = None
    as_: str | None = None

    def apply(self, user, data: dict) -> dict:
        """The input for `perform_mutation`, once the caller is allowed; else PermissionDenied."""
        if self.argument is None:
            self.check(user)
            return data
        key = data.get(self.argument)
        if self.global_id is not None:
            key = pk_from_global_id(key, self.global_id)
        found = self.check(user, key)
        if self.as_ is None:
            return data
        rest = {name: value for name, value in data.items() if name != self.argument}
        return {**rest, self.as_: found}
