"""Queries of the directory: states and regions (public reference data); authorities, routes
and the change feed (with a token)."""
import graphene
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from graphene import relay

from directory.access import restrict_webhook_subscriptions
from directory.federation.feed import destination_signatures, feed_page, route_services, sign_page, sign_route_services
from directory.models import Authority, Endpoint, KoenigsteinShare, Region, State, WebhookSubscription
from directory.routing import RoutingInputError
from directory.routing import cached_routes as find_routes
from directory.validators import validate_ars
from fitstore.signing import content_sha256

from ..core.errors import BadUserInput
from ..core.types import MAX_PAGE_SIZE, FilterConnectionField
from .types import (
    AuthorityType,
    DirectoryChangeConnection,
    DirectoryChangeSubscriptionType,
    DirectoryChangeType,
    DirectoryRouteServicesType,
    RegionType,
    RouteType,
    StateType,
    require_directory_reader,
)


def states_queryset():
    return State.objects.select_related("accession__agreement").prefetch_related(
        Prefetch("koenigstein_shares", queryset=KoenigsteinShare.objects.order_by("year"))
    )


def state_by_code(code: str, argument: str = "code") -> State:
    state = states_queryset().filter(code=(code or "").upper()).first()
    if state is None:
        raise BadUserInput(argument, f"unknown state code {code!r}; use BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH or TH.")
    return state


class DirectoryQueries(graphene.ObjectType):
    states = graphene.List(
        graphene.NonNull(StateType), required=True, description="The 16 states, in the order of their ARS."
    )
    state = graphene.Field(StateType, code=graphene.String(required=True), description="A state by its code, e.g. BY.")
    region = graphene.Field(
        RegionType,
        ars=graphene.String(required=True, description="ARS in canonical length: 2, 3, 5, 9 or 12 digits."),
        description="A region by its ARS; null when no region has that key.",
    )
    regions = FilterConnectionField(RegionType, description="Regions, filtered (q, state, level, parent, ars prefix, postcode).")

    routes = graphene.List(
        graphene.NonNull(RouteType), required=True,
        leika_key=graphene.String(required=True, description="LeiKa key: 14 digits starting with 99."),
        ars=graphene.String(required=True, description="ARS of the region, 2, 3, 5, 9 or 12 digits."),
        description="Who receives applications for the service in the region: the responsible authorities at the "
                    "most specific level, with their usable endpoints. Needs a token.",
    )
    authorities = FilterConnectionField(
        AuthorityType,
        description="Authorities, filtered (state, region prefix, kind, leikaKey, search/q). `q`/`search` is the "
                    "directory's German full-text search (name, identifier, seat, kind, state, LeiKa names of its "
                    "responsibilities; stems, typos, compounds): best hits first; an identifier (`by:lra`) is matched "
                    "as typed. Needs a token."
    )
    authority = graphene.Field(
        AuthorityType, identifier=graphene.String(required=True), description="An authority by its identifier. Needs a token."
    )
    directory_changes = graphene.Field(
        DirectoryChangeConnection, required=True,
        after=graphene.String(description="The cursor of the last change seen; omitted: from the beginning."),
        first=graphene.Int(description=f"At most {MAX_PAGE_SIZE} (the default)."),
        state=graphene.String(description="Only changes to the authorities of this state (code, e.g. BY) and their "
                                          "endpoints and responsibilities; a page may then hold fewer items, "
                                          "follow hasNextPage."),
        description="Every committed write to authorities, endpoints and responsibilities, oldest first; each page "
                    "signed (`signature`). Needs a token.",
    )
    directory_route_services = graphene.Field(
        DirectoryRouteServicesType, required=True,
        known=graphene.String(description="The digest the caller holds: the list is left out when it is current."),
        description="What routing reads of reuse (online services and the states connected to them), signed, for "
                    "mirrors (sync_directory). Needs a token.",
    )

    directory_change_subscriptions = graphene.List(
        graphene.NonNull(DirectoryChangeSubscriptionType), required=True,
        description="The caller's webhook subscriptions to the directory's changes, with their status (gateway or "
                    "operator).",
    )

    @staticmethod
    def resolve_directory_change_subscriptions(root, info):
        require_directory_reader(info)
        user = info.context.user
        readable = restrict_webhook_subscriptions(WebhookSubscription.objects.select_related("state"), user)
        return list(readable.filter(owner=user).order_by("id"))  # the caller's own, operators' too

    @staticmethod
    def resolve_routes(root, info, leika_key, ars):
        require_directory_reader(info)
        try:
            return find_routes(leika_key, ars)
        except RoutingInputError as error:
            raise BadUserInput(error.argument, error.message) from None

    @staticmethod
    def resolve_authorities(root, info, **kwargs):
        require_directory_reader(info)
        return Authority.objects.prefetch_related(
            Prefetch("endpoints", queryset=Endpoint.objects.filter(active=True).order_by("kind", "id"),
                     to_attr="active_endpoints")
        ).order_by("identifier")

    @staticmethod
    def resolve_authority(root, info, identifier):
        require_directory_reader(info)
        return AuthorityType.get_queryset(Authority.objects, info).filter(identifier=identifier).first()

    @staticmethod
    def resolve_directory_changes(root, info, after=None, first=None, state=None):
        require_directory_reader(info)
        if first is None:
            first = MAX_PAGE_SIZE
        if first < 0:
            raise BadUserInput("first", "must not be negative.")
        if first > MAX_PAGE_SIZE:
            raise BadUserInput("first", f"at most {MAX_PAGE_SIZE} items per page.")
        if after and not after.isdigit():
            raise BadUserInput("after", "not a cursor of directoryChanges.")
        state_code = state_by_code(state, "state").code if state else None
        chosen, has_next, end = feed_page(int(after) if after else None, first, state_code)
        signatures = destination_signatures([data for _entry, (_state, data) in chosen])
        edges = []
        for (entry, (_state, data)), signed in zip(chosen, signatures):
            entry.change_data, entry.destination_signatures = data, signed
            edges.append(DirectoryChangeConnection.Edge(node=entry, cursor=str(entry.id)))
        end_cursor = str(end) if end else after
        signature = sign_page(
            after=after, state_code=state_code, end_cursor=end_cursor, has_next=has_next,
            edges=[{"cursor": edge.cursor, "node": DirectoryChangeType.signed_fields(edge.node)} for edge in edges],
        )
        return DirectoryChangeConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=has_next, has_previous_page=bool(after),
                start_cursor=edges[0].cursor if edges else after, end_cursor=end_cursor,
            ),
            signature=signature,
        )

    @staticmethod
    def resolve_directory_route_services(root, info, known=None):
        require_directory_reader(info)
        online_services = route_services()
        digest = content_sha256(online_services)
        return DirectoryRouteServicesType(digest=digest, online_services=None if known == digest else online_services,
                                          signature=sign_route_services(digest))

    @staticmethod
    def resolve_states(root, info):
        return states_queryset().order_by("ars")

    @staticmethod
    def resolve_state(root, info, code):
        return state_by_code(code)

    @staticmethod
    def resolve_region(root, info, ars):
        try:
            validate_ars(ars)
        except ValidationError as error:
            raise BadUserInput("ars", " ".join(error.messages)) from None
        return Region.objects.select_related("parent", "state").filter(ars=ars).first()
