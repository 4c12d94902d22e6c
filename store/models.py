"""Store models: the OZG catalogue (topics, life situations, OZG-Leistungen, LeiKa services)
and the EfA online services that implement them.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import EfaCriterion, InterfaceRole, Lifecycle, MaturityLevel, RepositoryMirrorState
from .validators import validate_leika_key, validate_spdx_expression


class Topic(models.Model):
    """An OZG topic (Themenfeld), e.g. "Familie & Kind"."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LifeSituation(models.Model):
    """A life or business situation (Lebenslage / Geschäftslage) within a topic, e.g. "Geburt"."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="life_situations")

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OzgService(models.Model):
    """An OZG-Leistung of the OZG-Umsetzungskatalog (OZG-ID, e.g. 10000 Elterngeld)."""

    ozg_id = models.CharField(_("OZG ID"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    life_situation = models.ForeignKey(LifeSituation, on_delete=models.PROTECT, related_name="ozg_services")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="ozg_services")

    class Meta:
        verbose_name = _("OZG service")
        verbose_name_plural = _("OZG services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LeikaService(models.Model):
    """A service of the Leistungskatalog (LeiKa) within an OZG-Leistung.

    `ref` identifies every catalogue row, also the few that have no LeiKa key ("nicht im LeiKa"):
    the key where there is one, else `OZG<ozg_id>-<n>`.
    """

    ref = models.CharField(_("catalogue reference"), max_length=20, unique=True)
    leika_key = models.CharField(
        _("LeiKa key"), max_length=14, unique=True, null=True, blank=True, validators=[validate_leika_key]
    )
    name = models.CharField(_("name"), max_length=300)
    leika_type = models.CharField(_("LeiKa type"), max_length=10, blank=True)
    ozg_service = models.ForeignKey(
        OzgService, on_delete=models.PROTECT, null=True, blank=True, related_name="leika_services",
        help_text=_("Empty for the few LeiKa services that the OZG catalogue assigns to no OZG service."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    law_abbreviation = models.CharField(_("law"), max_length=60, blank=True)
    sdg_relevant = models.BooleanField(_("relevant for the Single Digital Gateway"), default=False)

    class Meta:
        verbose_name = _("LeiKa service")
        verbose_name_plural = _("LeiKa services")
        ordering = ["ref"]

    def __str__(self):
        return f"{self.name} ({self.leika_key or _('not in LeiKa')})"


class OnlineService(models.Model):
    """An EfA online service: built and run once by a providing state, reusable by all others."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    provider_state = models.ForeignKey(
        "directory.State", on_delete=models.PROTECT, related_name="provided_online_services",
        verbose_name=_("provider state"),
    )
    responsible_ministry = models.CharField(_("responsible federal ministry"), max_length=100, blank=True)
    it_provider = models.CharField(_("IT provider"), max_length=200, blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PLANNED)
    maturity_level = models.PositiveSmallIntegerField(
        _("maturity level"), choices=MaturityLevel.choices, default=MaturityLevel.OFFLINE
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="online_services")
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="online_services")
    services = models.ManyToManyField(LeikaService, blank=True, related_name="online_services")
    is_demo = models.BooleanField(_("demo entry"), default=False, help_text=_("Example data, not a real service."))
    # The provider's readiness (Voraussetzungen of the key points): without all three no EfA funding.
    political_support = models.BooleanField(
        _("political support"), default=False,
        help_text=_("The political level has officially taken responsibility for nationwide EfA implementation."),
    )
    expert_resources = models.BooleanField(
        _("expert resources committed"), default=False,
        help_text=_("The specialist departments have firmly committed resources."),
    )
    it_provider_capacity = models.BooleanField(
        _("IT provider capacity committed"), default=False,
        help_text=_("An IT provider has committed available, plannable capacity."),
    )
    basis_components = models.ManyToManyField(
        "BasisComponent", blank=True, related_name="online_services", verbose_name=_("basis components used")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online service")
        verbose_name_plural = _("online services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Repository(models.Model):
    """The git repository of an online service, from which its maintainers publish releases.

    The store keeps a bare mirror of it under `VAR_DIR/mirrors` (see `store.repositories`).
    """

    online_service = models.OneToOneField(OnlineService, on_delete=models.CASCADE, related_name="repository")
    url = models.CharField(
        _("URL"), max_length=500,
        help_text=_("https URL on an allowed host (GIT_ALLOWED_HOSTS); file:// only where ALLOW_LOCAL_REPOSITORIES."),
    )
    license = models.CharField(
        _("licence"), max_length=200, blank=True, validators=[validate_spdx_expression],
        help_text=_("SPDX licence expression, e.g. EUPL-1.2."),
    )
    default_branch = models.CharField(_("default branch"), max_length=200, blank=True)
    mirror_state = models.CharField(
        _("mirror state"), max_length=10, choices=RepositoryMirrorState.choices, default=RepositoryMirrorState.PENDING
    )
    mirror_error = models.CharField(_("last fetch error"), max_length=500, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")
        ordering = ["online_service__name"]

    def __str__(self):
        return self.url


class Release(models.Model):
    """A release of an online service, published from a tag of its repository.

    The version is the tag's semantic version (v1.2.0 → 1.2.0); its parts are stored apart so
    that the database can order releases by version (`latestRelease` goes by version, not date).
    """

    online_service = models.ForeignKey(OnlineService, on_delete=models.CASCADE, related_name="releases")
    version = models.CharField(_("version"), max_length=200)
    version_major = models.PositiveBigIntegerField(_("major version"))
    version_minor = models.PositiveBigIntegerField(_("minor version"))
    version_patch = models.PositiveBigIntegerField(_("patch version"))
    version_prerelease = models.CharField(_("pre-release"), max_length=200, blank=True)
    is_prerelease = models.BooleanField(_("pre-release"), default=False)
    # store.repositories.prerelease_key(version_prerelease): semver order in SQL (rc.9 < rc.10).
    prerelease_key = models.CharField(_("pre-release sort key"), max_length=1000, blank=True, editable=False)
    tag = models.CharField(_("tag"), max_length=200)
    commit = models.CharField(_("commit"), max_length=64)
    tagger_name = models.CharField(_("tagger"), max_length=200, blank=True)
    tagged_at = models.DateTimeField(_("tagged at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    changelog = models.TextField(_("changelog"), blank=True)
    publiccode = models.JSONField(_("publiccode.yml"), null=True, blank=True)
    publiccode_errors = models.JSONField(_("publiccode.yml errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        # Newest version first; pre-releases after the release of the same x.y.z.
        ordering = ["-version_major", "-version_minor", "-version_patch", "is_prerelease", "-prerelease_key", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["online_service", "tag"], name="one_release_per_tag"),
        ]

    def __str__(self):
        return f"{self.online_service.slug} {self.version}"


class InterfaceStandard(models.Model):
    """A data or interface standard (XÖV standards such as XInneres or XZuFi, FIT-Connect's
    submission API) by its identifier (URN)."""

    identifier = models.CharField(_("identifier (URN)"), max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("documentation"), blank=True)

    class Meta:
        verbose_name = _("interface standard")
        verbose_name_plural = _("interface standards")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OnlineServiceInterface(models.Model):
    """Which version of a standard an online service implements, as sender or receiver."""

    online_service = models.ForeignKey(OnlineService, on_delete=models.CASCADE, related_name="interfaces")
    standard = models.ForeignKey(InterfaceStandard, on_delete=models.PROTECT, related_name="implementations")
    version = models.CharField(_("version"), max_length=40)
    role = models.CharField(_("role"), max_length=10, choices=InterfaceRole.choices)

    class Meta:
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")
        ordering = ["standard__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["online_service", "standard", "role"], name="one_version_per_standard_and_role"),
        ]

    def __str__(self):
        return f"{self.standard} {self.version} ({self.get_role_display()})"


class BasisComponent(models.Model):
    """A central basis component (Basiskomponente): user account, ELSTER company account, eID,
    ePayBL, postbox, FIT-Connect."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("basis component")
        verbose_name_plural = _("basis components")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CriterionAssessment(models.Model):
    """Whether an online service meets one of the seven EfA criteria, with the evidence.

    C6 is not assessed but computed from the connected states (store/criteria.py)."""

    online_service = models.ForeignKey(OnlineService, on_delete=models.CASCADE, related_name="criterion_assessments")
    criterion = models.CharField(_("criterion"), max_length=2, choices=EfaCriterion.choices)
    met = models.BooleanField(_("met"))
    evidence = models.TextField(_("evidence"))
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(fields=["online_service", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(name="c6_is_computed", condition=~models.Q(criterion="C6")),
        ]

    def __str__(self):
        return f"{self.online_service} {self.criterion}: {'met' if self.met else 'not met'}"
