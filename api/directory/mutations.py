"""Mutations of the directory: authorities, endpoints and responsibilities.

Each declares who may call it through `directory.access` (a state's directory maintainer for
that state's authorities, an operator for all) and writes through `directory.services`.
"""
import graphene
from graphene import relay

from directory import access, services
from directory.federation import webhooks

from ..core.enums import AuthorityKind, EndpointKind
from ..core.permissions import Allowed
from ..core.types import BaseMutation
from .types import AuthorityType, DirectoryChangeSubscriptionType, EndpointType, ResponsibilityType


class RegisterAuthorityInput(graphene.InputObjectType):
    """Input of registerAuthority: a new authority (Behörde) of the directory."""

    identifier = graphene.String(required=True, description="prefix:key, DVDV-style, e.g. wgb:010540880000.")
    name = graphene.String(required=True, description="Official name of the authority.")
    state_code = graphene.String(required=True, description="Code of the authority's state, e.g. BY.")
    ars = graphene.String(required=True, description="ARS of the region of its seat (in that state).")
    kind = AuthorityKind(required=True, description="What kind of authority it is.")


class RegisterAuthority(BaseMutation):
    """Register an authority of a state. Directory maintainer of that state, or operator."""

    class Arguments:
        input = RegisterAuthorityInput(required=True)

    authority = graphene.Field(AuthorityType, description="The authority after the change; null on errors.")
    permission = Allowed(access.require_state_writable, "state_code")

    @classmethod
    def perform_mutation(cls, root, info, identifier, name, state_code, ars, kind):
        authority = services.register_authority(
            identifier=identifier, name=name, state_code=state_code, ars=ars, kind=kind, actor=info.context.user
        )
        return {"authority": authority}


class UpdateAuthorityInput(graphene.InputObjectType):
    """Input of updateAuthority: the authority and the values to change."""

    identifier = graphene.String(required=True, description="The authority to change.")
    name = graphene.String(description="New name; omitted or empty: unchanged.")
    ars = graphene.String(description="New seat region (in the authority's state); omitted or empty: unchanged.")
    kind = AuthorityKind(description="New kind; omitted: unchanged.")


class UpdateAuthority(BaseMutation):
    """Change an authority's name, seat or kind. Directory maintainer of its state, or operator."""

    class Arguments:
        input = UpdateAuthorityInput(required=True)

    authority = graphene.Field(AuthorityType, description="The authority after the change; null on errors.")
    permission = Allowed(access.authority_for_write, "identifier", as_="authority")

    @classmethod
    def perform_mutation(cls, root, info, authority, name=None, ars=None, kind=None):
        return {"authority": services.update_authority(authority, name=name, ars=ars, kind=kind,
                                                       actor=info.context.user)}


class DeactivateAuthorityInput(graphene.InputObjectType):
    """Input of deactivateAuthority: the authority to take out of routing."""

    identifier = graphene.String(required=True, description="Identifier of the authority (prefix:key, e.g. wgb:010540880000).")


class DeactivateAuthority(BaseMutation):
    """Take an authority out of routing. Directory maintainer of its state, or operator."""

    class Arguments:
        input = DeactivateAuthorityInput(required=True)

    authority = graphene.Field(AuthorityType, description="The authority after the change; null on errors.")
    permission = Allowed(access.authority_for_write, "identifier", as_="authority")

    @classmethod
    def perform_mutation(cls, root, info, authority):
        return {"authority": services.deactivate_authority(authority, actor=info.context.user)}


class RegisterEndpointInput(graphene.InputObjectType):
    """Input of registerEndpoint: a delivery address (Zustellpunkt) of an authority."""

    authority = graphene.String(required=True, description="Identifier of the authority.")
    kind = EndpointKind(required=True, description="Transport channel of the endpoint (FIT-Connect, OSCI/XTA, e-mail …).")
    address = graphene.String(required=True, description="https:// URL; for EMAIL an e-mail address.")
    destination_id = graphene.String(description="FIT-Connect destination ID (UUID); required for FIT_CONNECT.")
    service_uri = graphene.String(description="Service URI, e.g. of the XTA service.")
    certificate_pem = graphene.String(description="X.509 certificate in PEM; required for OSCI_XTA.")
    valid_from = graphene.DateTime(description="Start of validity; omitted: now.")
    valid_until = graphene.DateTime(description="End of validity; omitted: open.")


class RegisterEndpoint(BaseMutation):
    """Register a technical address of an authority. Directory maintainer of its state, or operator."""

    class Arguments:
        input = RegisterEndpointInput(required=True)

    endpoint = graphene.Field(EndpointType, description="The endpoint after the change; null on errors.")
    permission = Allowed(access.authority_for_write, "authority", as_="authority")

    @classmethod
    def perform_mutation(cls, root, info, authority, kind, address, destination_id=None, service_uri=None,
                         certificate_pem=None, valid_from=None, valid_until=None):
        endpoint = services.register_endpoint(
            authority, kind=kind, address=address, destination_id=destination_id, service_uri=service_uri or "",
            certificate_pem=certificate_pem or "", valid_from=valid_from, valid_until=valid_until,
            actor=info.context.user,
        )
        return {"endpoint": endpoint}


class DeactivateEndpointInput(graphene.InputObjectType):
    """Input of deactivateEndpoint: the endpoint to take out of routing."""

    endpoint = graphene.ID(required=True, description="Global ID of the endpoint.")


class DeactivateEndpoint(BaseMutation):
    """Take an endpoint out of routing. Directory maintainer of its authority's state, or operator."""

    class Arguments:
        input = DeactivateEndpointInput(required=True)

    endpoint = graphene.Field(EndpointType, description="The endpoint after the change; null on errors.")
    permission = Allowed(access.endpoint_for_write, "endpoint", global_id="Endpoint", as_="endpoint")

    @classmethod
    def perform_mutation(cls, root, info, endpoint):
        return {"endpoint": services.deactivate_endpoint(endpoint, actor=info.context.user)}


class AssignResponsibilityInput(graphene.InputObjectType):
    """Input of assignResponsibility: authority, service and regions of a responsibility (Zuständigkeit)."""

    authority = graphene.String(required=True, description="Identifier of the authority.")
    leika_key = graphene.String(required=True, description="LeiKa key of the service.")
    ars = graphene.List(graphene.NonNull(graphene.String), required=True,
                        description="ARS of the regions (in the authority's state), added to those it has.")


class AssignResponsibility(BaseMutation):
    """Make an authority responsible for a service in regions. Directory maintainer of its state, or operator."""

    class Arguments:
        input = AssignResponsibilityInput(required=True)

    responsibility = graphene.Field(ResponsibilityType, description="The responsibility (Zuständigkeit) with all its regions; null on errors.")
    permission = Allowed(access.authority_for_write, "authority", as_="authority")

    @classmethod
    def perform_mutation(cls, root, info, authority, leika_key, ars):
        return {"responsibility": services.assign_responsibility(authority, leika_key=leika_key, ars=ars,
                                                                 actor=info.context.user)}


class WithdrawResponsibilityInput(graphene.InputObjectType):
    """Input of withdrawResponsibility: the responsibility (Zuständigkeit) and the regions to take out."""

    authority = graphene.String(required=True, description="Identifier of the authority.")
    leika_key = graphene.String(required=True, description="LeiKa key of the service (14 digits starting with 99).")
    ars = graphene.List(graphene.NonNull(graphene.String),
                        description="Regions to take out; omitted or empty: the whole responsibility ends.")


class WithdrawResponsibility(BaseMutation):
    """Take regions out of a responsibility, or end it. Directory maintainer of its state, or operator."""

    class Arguments:
        input = WithdrawResponsibilityInput(required=True)

    responsibility = graphene.Field(ResponsibilityType, description="What remains; null when it ended.")
    permission = Allowed(access.authority_for_write, "authority", as_="authority")

    @classmethod
    def perform_mutation(cls, root, info, authority, leika_key, ars=None):
        remaining = services.withdraw_responsibility(authority, leika_key=leika_key, ars=ars or [],
                                                     actor=info.context.user)
        return {"responsibility": remaining}


class SubscribeDirectoryChangesInput(graphene.InputObjectType):
    """Input of subscribeDirectoryChanges: where to POST the directory's changes, and which."""

    callback_url = graphene.String(required=True, description="https URL that receives the changes as JSON POSTs.")
    state = graphene.String(description="Only changes to this state's authorities (code, e.g. BY); omitted: all.")


class SubscribeDirectoryChanges(BaseMutation):
    """Subscribe a webhook to the directory's changes from now on. Gateway or operator. The signing secret is
    returned once."""

    class Arguments:
        input = SubscribeDirectoryChangesInput(required=True)

    subscription = graphene.Field(DirectoryChangeSubscriptionType, description="The new subscription; null on errors.")
    secret = graphene.String(description="The HMAC-SHA256 signing secret, shown only in this answer.")
    permission = Allowed(access.require_subscriber)

    @classmethod
    def perform_mutation(cls, root, info, callback_url, state=None):
        user = info.context.user
        subscription, secret = webhooks.subscribe(user, callback_url=callback_url, state_code=state, actor=user)
        return {"subscription": subscription, "secret": secret}


class UnsubscribeDirectoryChangesInput(graphene.InputObjectType):
    """Input of unsubscribeDirectoryChanges: the subscription to end."""

    subscription = graphene.ID(required=True, description="Global ID of the subscription.")


class UnsubscribeDirectoryChanges(BaseMutation):
    """End a webhook subscription. Its owner (gateway), or an operator."""

    class Arguments:
        input = UnsubscribeDirectoryChangesInput(required=True)

    subscription = graphene.ID(description="Global ID of the ended subscription; null on errors.")
    permission = Allowed(access.subscription_for_write, "subscription", global_id="DirectoryChangeSubscription",
                         as_="target")

    @classmethod
    def perform_mutation(cls, root, info, target):
        ended = relay.Node.to_global_id("DirectoryChangeSubscription", target.pk)  # the row is deleted
        webhooks.unsubscribe(target, actor=info.context.user)
        return {"subscription": ended}


class DirectoryMutations(graphene.ObjectType):
    register_authority = RegisterAuthority.Field()
    update_authority = UpdateAuthority.Field()
    deactivate_authority = DeactivateAuthority.Field()
    register_endpoint = RegisterEndpoint.Field()
    deactivate_endpoint = DeactivateEndpoint.Field()
    assign_responsibility = AssignResponsibility.Field()
    withdraw_responsibility = WithdrawResponsibility.Field()
    subscribe_directory_changes = SubscribeDirectoryChanges.Field()
    unsubscribe_directory_changes = UnsubscribeDirectoryChanges.Field()
