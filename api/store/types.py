"""GraphQL types of the store's catalogue (the OZG catalogue and online services)."""
import graphene
from graphene.types.generic import GenericScalar
from graphene_django import DjangoConnectionField, DjangoObjectType

from store.criteria import efa_conformant, efa_criteria
from store.models import (
    BasisComponent,
    InterfaceStandard,
    LeikaService,
    LifeSituation,
    OnlineService,
    OnlineServiceInterface,
    OzgService,
    Release,
    Repository,
    Topic,
)
from store.repositories import latest_release

from ..core.enums import InterfaceRole, Lifecycle
from ..core.types import NodeType, PageSizeLimit, describe_fields


class BoundedConnectionField(PageSizeLimit, DjangoConnectionField):
    """A connection on a related list, with the API's page-size limit."""


class TopicType(NodeType):
    """An OZG topic (Themenfeld)."""

    class Meta:
        model = Topic
        fields = ("id", "code", "name")


class LifeSituationType(NodeType):
    """A life or business situation (Lebenslage / Geschäftslage)."""

    class Meta:
        model = LifeSituation
        fields = ("id", "code", "name", "topic")


class OzgServiceType(NodeType):
    """An OZG-Leistung of the OZG-Umsetzungskatalog."""

    class Meta:
        model = OzgService
        fields = ("id", "ozg_id", "name", "life_situation", "topic")


class LeikaServiceType(NodeType):
    """A service of the Leistungskatalog (LeiKa), identified by its 14-digit key."""

    leika_key = graphene.String(description="LeiKa key (14 digits, starting with 99); null for the few services not in the LeiKa.")

    class Meta:
        model = LeikaService
        fields = ("id", "leika_key", "name", "leika_type", "ozg_service", "legal_basis", "law_abbreviation", "sdg_relevant")


class EfaCriterionType(graphene.ObjectType):
    """One of the seven EfA implementation criteria (Umsetzungskriterien) and whether the online
    service meets it. C6 is computed (at least 9 connected states); the others are assessed with
    evidence by the provider's maintainers."""

    class Meta:
        name = "EfaCriterion"

    code = graphene.String(required=True, description="C1 … C7.")
    name = graphene.String(required=True, description="What the criterion asks.")
    met = graphene.Boolean(required=True)
    detail = graphene.String(required=True, description="The evidence, or how C6 was counted.")


class InterfaceStandardType(DjangoObjectType):
    """A data or interface standard (XÖV standard, FIT-Connect's submission API)."""

    class Meta:
        model = InterfaceStandard
        name = "InterfaceStandard"
        fields = ("identifier", "name", "description", "url")


class InterfaceType(DjangoObjectType):
    """The version of a standard an online service implements, as sender or receiver."""

    role = graphene.Field(InterfaceRole, required=True)

    class Meta:
        model = OnlineServiceInterface
        name = "Interface"
        fields = ("standard", "version", "role")
        convert_choices_to_enum = False


class BasisComponentType(DjangoObjectType):
    """A central basis component the online service uses (criterion C4)."""

    class Meta:
        model = BasisComponent
        name = "BasisComponent"
        fields = ("code", "name")


class OnlineServiceType(NodeType):
    """An EfA online service: built once by the provider state, reused by others (EfA-Online-Dienst)."""

    lifecycle = graphene.Field(Lifecycle, required=True)
    is_demo = graphene.Boolean(required=True, description="Example data of the demo catalogue, not a real service.")

    class Meta:
        model = OnlineService
        fields = (
            "id", "slug", "name", "summary", "description", "provider_state", "responsible_ministry", "it_provider",
            "lifecycle", "maturity_level", "topic", "is_demo",
        )
        convert_choices_to_enum = False

    # --- Store: the EfA criteria, interfaces, basis components, readiness (store/criteria.py) ----
    efa_criteria = graphene.List(graphene.NonNull(EfaCriterionType), required=True,
                                 description="The seven EfA implementation criteria, C1 … C7.")
    efa_conformant = graphene.Boolean(required=True, description="True when all seven EfA criteria are met.")
    interfaces = graphene.List(graphene.NonNull(InterfaceType), required=True,
                               description="Standards it implements, with version and role.")
    basis_components = graphene.List(graphene.NonNull(BasisComponentType), required=True,
                                     description="Central basis components it uses (criterion C4).")
    political_support = graphene.Boolean(required=True, description="Readiness: the political level has taken responsibility.")
    expert_resources = graphene.Boolean(required=True, description="Readiness: specialist resources are committed.")
    it_provider_capacity = graphene.Boolean(required=True, description="Readiness: IT provider capacity is committed.")

    @staticmethod
    def resolve_efa_criteria(root: OnlineService, info):
        return efa_criteria(root)

    @staticmethod
    def resolve_efa_conformant(root: OnlineService, info):
        return efa_conformant(root)

    @staticmethod
    def resolve_interfaces(root: OnlineService, info):
        return root.interfaces.all()

    @staticmethod
    def resolve_basis_components(root: OnlineService, info):
        return root.basis_components.all()

    # --- Store: catalogue relations, repository and releases (store/) ------------------------
    life_situations = graphene.List(
        graphene.NonNull(LifeSituationType), required=True, description="Life situations it serves (Lebenslagen)."
    )
    services = graphene.List(
        graphene.NonNull(LeikaServiceType), required=True, description="The LeiKa services it implements."
    )
    repository = graphene.Field(lambda: RepositoryType, description="Its git repository; null while none is registered.")
    releases = BoundedConnectionField(
        lambda: ReleaseType, description="Releases, newest version first (semantic versioning)."
    )
    latest_release = graphene.Field(
        lambda: ReleaseType,
        description="The release with the highest semantic version (not the newest date); pre-releases only "
                    "when there is no release proper.",
    )

    @staticmethod
    def resolve_life_situations(root: OnlineService, info):
        return root.life_situations.all()

    @staticmethod
    def resolve_services(root: OnlineService, info):
        return root.services.all()

    @staticmethod
    def resolve_repository(root: OnlineService, info):
        return getattr(root, "repository", None)  # None where there is none (a reverse one-to-one raises AttributeError)

    @staticmethod
    def resolve_releases(root: OnlineService, info, **args):
        return list(root.releases.all())  # a list: pages of the prefetched releases, no query per row

    @staticmethod
    def resolve_latest_release(root: OnlineService, info):
        return latest_release(root.releases.all())  # prefetched by list queries


class JSON(GenericScalar):
    """Any JSON value (objects, lists, strings, numbers, booleans, null)."""


class PubliccodeFinding(graphene.ObjectType):
    """An error the publiccode.yml validator found, as the reference validator words it."""

    key = graphene.String(required=True, description="Dotted key, e.g. description.de.longDescription.")
    description = graphene.String(required=True, description="What is wrong, in the validator's words.")
    line = graphene.Int(description="Line in publiccode.yml (1-based); null when not known.")
    column = graphene.Int(description="Column in publiccode.yml (1-based); null when not known.")

    @staticmethod
    def resolve_key(root, info):
        return root.get("key", "")

    @staticmethod
    def resolve_description(root, info):
        return root.get("description", "")

    @staticmethod
    def resolve_line(root, info):
        return root.get("line")

    @staticmethod
    def resolve_column(root, info):
        return root.get("column")


class RepositoryType(NodeType):
    """The git repository of an online service."""

    default_branch = graphene.String(required=True, description="The remote's default branch; empty until fetched.")
    license = graphene.String(required=True, description="SPDX licence expression, e.g. EUPL-1.2.")

    class Meta:
        model = Repository
        fields = ("id", "url", "license", "default_branch", "fetched_at")


class ReleaseType(NodeType):
    """A release of an online service, published from a tag of its repository."""

    version = graphene.String(required=True, description="Semantic version from the tag (v1.2.0 → 1.2.0).")
    commit = graphene.String(required=True, description="The tag's commit (hexadecimal object id).")
    changelog = graphene.String(
        required=True, description="Subjects of the commits since the previous released tag on the same ancestry, "
                                   "newest first, one per line.",
    )
    publiccode = JSON(description="The tag's publiccode.yml as data; null when the tag has none.")
    publiccode_errors = graphene.List(
        graphene.NonNull(lambda: PubliccodeFinding), required=True,
        description="What the publiccode.yml validator found: empty, since a tag whose publiccode.yml is invalid "
                    "is refused (publishRelease); findings remain only on releases published before that rule.",
    )
    is_prerelease = graphene.Boolean(required=True, description="A pre-release (1.0.0-rc.1).")

    class Meta:
        model = Release
        fields = (
            "id", "version", "tag", "commit", "tagger_name", "tagged_at", "published_at", "changelog", "publiccode",
            "publiccode_errors", "is_prerelease",
        )



# --- Descriptions of the derived model fields -------------------------------------------------
describe_fields(
    TopicType,
    code="Short code of the topic (Themenfeld), used as search facet value.",
    name="Name of the topic (Themenfeld), e.g. Familie & Kind.",
)
describe_fields(
    LifeSituationType,
    code="Short code of the life situation (Lebenslage).",
    name="Name of the life or business situation (Lebenslage / Geschäftslage).",
    topic="The topic (Themenfeld) it belongs to.",
)
describe_fields(
    OzgServiceType,
    ozg_id="ID of the OZG-Leistung in the OZG-Umsetzungskatalog.",
    name="Name of the OZG-Leistung.",
    life_situation="The life situation (Lebenslage) it belongs to.",
    topic="The topic (Themenfeld) it belongs to.",
)
describe_fields(
    LeikaServiceType,
    name="Name of the service (Leistungsbezeichnung) in the LeiKa.",
    leika_type="LeiKa type (Typisierung), e.g. 1 to 5, saying which level regulates and executes it.",
    legal_basis="Legal basis (Rechtsgrundlage) of the service; empty when unknown.",
    law_abbreviation="Abbreviation of the law it is based on, e.g. WoGG; empty when unknown.",
    sdg_relevant="True when the service falls under the Single Digital Gateway regulation (SDG).",
)
describe_fields(
    OnlineServiceType,
    slug="Identifier in URLs and in mutations, e.g. wohngeld.",
    name="Display name of the online service.",
    summary="One or two sentences on what it does.",
    description="Longer description of the online service.",
    provider_state="The providing state (Anbieterland) that builds and maintains it.",
    responsible_ministry="Ministry responsible in the providing state (federführendes Ressort).",
    it_provider="IT service provider operating it (IT-Dienstleister).",
    lifecycle="Where it stands in its lifecycle (planned … available …).",
    maturity_level="OZG maturity level (Reifegrad), 0 (offline) to 4 (once only).",
    topic="The topic (Themenfeld) it belongs to; null when none is set.",
)
describe_fields(EfaCriterionType, met="True when the online service meets the criterion.")
describe_fields(
    InterfaceStandardType,
    identifier="Identifier (URN) of the standard.",
    name="Name of the standard, e.g. XWohngeld.",
    description="What the standard covers.",
    url="Where the standard is published.",
)
describe_fields(
    InterfaceType,
    standard="The data or interface standard implemented.",
    version="The version implemented, e.g. 1.0.0.",
    role="Whether the online service sends or receives with this standard.",
)
describe_fields(
    BasisComponentType,
    code="Short code of the basis component.",
    name="Name of the basis component, e.g. a user account or payment service.",
)
describe_fields(RepositoryType, fetched_at="When the repository was last read (ISO 8601 date-time, UTC); null: not yet.")
describe_fields(
    ReleaseType,
    tag="The git tag, a semantic version (e.g. v1.2.0).",
    tagger_name="Who created the tag (annotated tags); empty when unknown.",
    tagged_at="When the tag was created; null when the tag carries no date.",
    published_at="When the release was published in the FIT-Store (ISO 8601 date-time, UTC).",
)
