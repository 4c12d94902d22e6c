"""Forms of the store's web UI. They validate what the page offers and call the services
(`fitstore.forms.ServiceForm` maps the services' ValidationErrors onto their fields)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from fitstore.forms import ServiceForm

from . import services
from .choices import EfaCriterion, Lifecycle, MaturityLevel


class PublishReleaseForm(ServiceForm):
    """Choose one of the repository's semver tags not published yet; confirm; publish."""

    tag = forms.ChoiceField(
        label=_("Tag"), widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the tag to publish."),
            "invalid_choice": _("%(value)s is not among the repository's unpublished semver tags."),
        },
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    changelog = forms.CharField(
        label=_("Changelog"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One change per line. Proposed: the tag's message, then the commits since the previous release."),
    )
    # The tag is how the maintainer chose the repository's state to publish, so a fetch failure
    # belongs there too.
    field_of = {"repository_url": "tag", "online_service": "tag"}

    def __init__(self, *args, online_service, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_service = online_service
        self.fields["tag"].choices = [(tag.name, tag.name) for tag in tags if not tag.published]

    def save(self, *, actor):
        """The published release, or None with the service's errors on the form's fields."""
        changelog = self.cleaned_data["changelog"] if "changelog" in self.data else None  # None: the default
        return self.call(services.publish_release, self.online_service, self.cleaned_data["tag"], changelog=changelog,
                         actor=actor)


class AssessCriterionForm(ServiceForm):
    """Record whether the online service meets one of the EfA criteria (not C6, which is
    computed), with the evidence; saved through `services.assess_criterion`."""

    criterion = forms.ChoiceField(label=_("Criterion"), error_messages={"required": _("Choose the criterion.")})
    met = forms.TypedChoiceField(
        label=_("Assessment"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", _("met")), ("no", _("not met"))],
        error_messages={"required": _("Say whether the criterion is met.")},
    )
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000,
        help_text=_("What shows it: a link, a decision or a document."),
    )

    def __init__(self, *args, online_service, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_service = online_service
        self.fields["criterion"].choices = [("", _("Choose …"))] + [
            (criterion.value, f"{criterion.value} – {criterion.label}") for criterion in EfaCriterion
            if criterion != EfaCriterion.C6
        ]

    def save(self, *, actor):
        """The assessment, or None with the service's errors on the form's fields."""
        return self.call(services.assess_criterion, self.online_service, self.cleaned_data["criterion"],
                         met=self.cleaned_data["met"], evidence=self.cleaned_data["evidence"], actor=actor)


class OnlineServiceForm(ServiceForm):
    """The basic data of an online service its maintainers keep up to date; saved through
    `services.update_online_service` (the slug and the provider state stay)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False,
                              help_text=_("One or two sentences for the catalogue."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    it_provider = forms.CharField(label=_("IT provider"), max_length=200, required=False)
    responsible_ministry = forms.CharField(label=_("Responsible federal ministry"), max_length=100, required=False)
    lifecycle = forms.ChoiceField(label=_("Lifecycle"))
    maturity_level = forms.TypedChoiceField(label=_("Maturity level"), coerce=int)
    political_support = forms.BooleanField(label=_("Political support"), required=False)
    expert_resources = forms.BooleanField(label=_("Expert resources committed"), required=False)
    it_provider_capacity = forms.BooleanField(label=_("IT provider capacity committed"), required=False)

    FIELDS = ("name", "summary", "description", "it_provider", "responsible_ministry", "lifecycle", "maturity_level",
              "political_support", "expert_resources", "it_provider_capacity")

    def __init__(self, *args, online_service, **kwargs):
        kwargs.setdefault("initial", {field: getattr(online_service, field) for field in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.online_service = online_service
        self.fields["lifecycle"].choices = Lifecycle.choices
        self.fields["maturity_level"].choices = MaturityLevel.choices

    def save(self, *, actor):
        """Whether anything changed (None on errors, which are put on the form's fields)."""
        return self.call(services.update_online_service, self.online_service, actor=actor,
                         **{field: self.cleaned_data[field] for field in self.FIELDS})


class RepositoryForm(ServiceForm):
    """The git repository of an online service, from which its maintainers publish releases;
    saved through `services.set_repository`, which checks the URL (allowed hosts, public
    addresses; local paths only where the server allows them)."""

    repository_url = forms.CharField(
        label=_("Repository URL"), max_length=500, required=False,
        help_text=_("The https address of the git repository, e.g. https://gitlab.opencode.de/land/wohngeld.git."),
    )
    license = forms.CharField(
        label=_("Licence"), max_length=200, required=False,
        help_text=_("The licence of the source code as an SPDX expression, e.g. EUPL-1.2."),
    )

    def __init__(self, *args, online_service, **kwargs):
        repository = getattr(online_service, "repository", None)  # None: the reverse one-to-one raises AttributeError
        if repository is not None:
            kwargs.setdefault("initial", {"repository_url": repository.url, "license": repository.license})
        super().__init__(*args, **kwargs)
        self.online_service = online_service

    def save(self, *, actor):
        """The repository (None on errors, which are put on the form's fields)."""
        return self.call(services.set_repository, self.online_service, url=self.cleaned_data["repository_url"],
                         license=self.cleaned_data["license"], actor=actor)
