"""Shared API types: connections with totalCount, the connection field, errors, BaseMutation."""
import graphene
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from graphene.types.utils import yank_fields_from_attrs
from graphene.utils.str_converters import to_camel_case
from graphene_django import DjangoObjectType
from graphene_django.filter import DjangoFilterConnectionField
from graphene_django.filter.fields import convert_enum
from graphql_relay import from_global_id

from fitstore.access import require_authenticated
from fitstore.error_codes import FitstoreErrorCode

from .errors import BadUserInput

MAX_PAGE_SIZE = 100


class CountableConnection(graphene.relay.Connection):
    """A Relay connection that also says how many items match."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Number of items matching, on all pages.")

    @classmethod
    def __init_subclass_with_meta__(cls, node=None, name=None, description=None, **options):
        # The connection types graphene-django generates (e.g. OnlineServiceConnection) have no
        # docstring; describe them by their node type.
        if not description and not cls.__doc__ and node is not None:
            node_name = getattr(getattr(node, "_meta", None), "name", None) or getattr(node, "__name__", "item")
            description = (f"A page of {node_name} objects (Relay connection): edges with cursors, "
                           f"pageInfo and totalCount.")
        super().__init_subclass_with_meta__(node=node, name=name, description=description, **options)

    @staticmethod
    def resolve_total_count(root, info):
        return root.length


class NodeType(DjangoObjectType):
    """The type of a model that clients fetch by global ID: a Relay node, named after the model
    (`OnlineService`) unless `Meta.name` says otherwise, listed in connections with totalCount."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, model=None, name=None, interfaces=(graphene.relay.Node,),
                                    connection_class=CountableConnection, **options):
        super().__init_subclass_with_meta__(model=model, name=name or model.__name__, interfaces=interfaces,
                                            connection_class=connection_class, **options)


class PageSizeLimit:
    """For connection fields: `first`/`last` above the limit (100) or below 0 are BAD_USER_INPUT,
    naming the argument, instead of graphene-django's assertion."""

    @classmethod
    def connection_resolver(cls, resolver, connection, default_manager, queryset_resolver, max_limit,
                            enforce_first_or_last, root, info, **args):
        limit = max_limit or MAX_PAGE_SIZE
        for argument in ("first", "last"):
            value = args.get(argument)
            if value is not None and value < 0:
                raise BadUserInput(argument, "must not be negative.")
            if value is not None and value > limit:
                raise BadUserInput(argument, f"at most {limit} items per page.")
        return super().connection_resolver(resolver, connection, default_manager, queryset_resolver, max_limit,
                                           enforce_first_or_last, root, info, **args)


class FilterConnectionField(PageSizeLimit, DjangoFilterConnectionField):
    """A connection filtered by the model's FilterSet (the same one the UI uses).

    Refuses `first`/`last` above 100 or below 0 and invalid filter values with BAD_USER_INPUT,
    naming the argument.
    """

    @classmethod
    def resolve_queryset(cls, connection, iterable, info, args, filtering_args, filterset_class):
        queryset = super(DjangoFilterConnectionField, cls).resolve_queryset(connection, iterable, info, args)
        data = {name: convert_enum(value) for name, value in args.items() if name in filtering_args}
        filterset = filterset_class(data=data, queryset=queryset, request=info.context)
        if not filterset.is_valid():
            argument, messages = next(iter(filterset.form.errors.items()))
            raise BadUserInput(to_camel_case(argument), " ".join(messages))
        return filterset.qs


def pk_from_global_id(global_id: str, type_name: str) -> int | None:
    """The primary key in a Relay global ID of `type_name`; None for a malformed ID or another type,
    so callers answer "not there" and "not allowed" alike."""
    try:
        found_type, pk = from_global_id(global_id)
    except Exception:  # graphql-relay raises assorted errors on garbage
        return None
    return int(pk) if found_type == type_name and pk.isdigit() else None


class Error(graphene.ObjectType):
    """Why a mutation refused its input: the input field (camelCase; null for the whole input),
    a stable code and a message for people."""

    field = graphene.String(description="Input field in camelCase, or null when the error concerns the whole input.")
    code = graphene.String(required=True, description="Stable error code, e.g. INVALID, REQUIRED, PERMISSION_DENIED.")
    message = graphene.String(required=True, description="Explanation for people (English or German).")


def errors_from_validation_error(error: ValidationError) -> list[Error]:
    result = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            name = None if field == NON_FIELD_ERRORS else to_camel_case(field)
            for item in field_errors:
                result.append(Error(field=name, code=_code(item), message=" ".join(item.messages)))
    else:
        for item in error.error_list:
            result.append(Error(field=None, code=_code(item), message=" ".join(item.messages)))
    return result


def _code(error: ValidationError) -> str:
    code = error.code or FitstoreErrorCode.INVALID.value
    return code.value if hasattr(code, "value") else str(code).upper()


class BaseMutation(graphene.Mutation):
    """One explicit base for every mutation (Saleor's pattern, without model mutations).

    A subclass declares `class Arguments: input = SomeInput(required=True)`, the payload's
    fields and who may call it (`permission = api.core.permissions.Allowed(...)`), and
    implements `perform_mutation(root, info, **input)` returning the payload's fields as a dict.
    The caller must be signed in and pass the permission before `perform_mutation` runs.
    Refusals come back as data in `errors` and the transaction is rolled back:
    `ValidationError` → one error per field, `PermissionDenied` → PERMISSION_DENIED without
    saying whether the object exists.
    """

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(Error), required=True, description="Empty on success.")

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        if not callable(getattr(getattr(cls, "permission", None), "apply", None)):
            raise TypeError(f"{cls.__name__} must declare who may call it: permission = Allowed(...)")
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def perform_mutation(cls, root, info, **data) -> dict:
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, input):
        user = info.context.user
        try:
            with transaction.atomic():
                require_authenticated(user)
                data = cls.permission.apply(user, dict(input))
                payload = cls.perform_mutation(root, info, **data)
        except ValidationError as error:
            return cls(errors=errors_from_validation_error(error))
        except PermissionDenied as error:
            message = str(error) or "You are not allowed to do this, or the object does not exist."
            return cls(errors=[Error(field=None, code=FitstoreErrorCode.PERMISSION_DENIED.value, message=message)])
        return cls(errors=[], **payload)


def extend_type(object_type, extension: type) -> None:
    """Add the fields declared on `extension` (a plain class: graphene fields and their
    `resolve_*` functions) to `object_type`, after its own. So the API of a higher app adds what
    it knows to a type of a lower one (licensing's reuse terms and subscriptions on
    OnlineService) without the lower module importing it. Call before the schema is built."""
    added = yank_fields_from_attrs(vars(extension), _as=graphene.Field)
    clashes = set(added) & set(object_type._meta.fields)
    if clashes:
        raise TypeError(f"{object_type._meta.name} already has {', '.join(sorted(clashes))}")
    object_type._meta.fields.update(added)
    for name in added:
        resolver = vars(extension).get(f"resolve_{name}")
        if resolver is not None:
            setattr(object_type, f"resolve_{name}", resolver)


def describe_fields(object_type, **descriptions: str) -> None:
    """Give fields of `object_type` (e.g. the model fields a DjangoObjectType derives) their
    descriptions, keyed by snake_case field name, without redeclaring them: type, nullability and
    resolver stay exactly as graphene-django converted them. Call before the schema is built."""
    fields = object_type._meta.fields
    for name, text in descriptions.items():
        if name not in fields:
            raise KeyError(f"{object_type._meta.name} has no field {name}")
        field = fields[name]
        if isinstance(field, graphene.Dynamic):
            # Relations (ForeignKey …) are converted lazily; describe the field once it is made.
            field.type = _described(field.type, text)
        else:
            field.description = text


def _described(make_field, text: str):
    def make(*args, **kwargs):
        field = make_field(*args, **kwargs)
        if field is not None:
            field.description = text
        return field

    return make
