"""Licensing models of the foundation: the framework agreement and states' accession to it.

Reuse terms, subscriptions and cost sharing build on these (see the licensing issue).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AccessionStatus


class FrameworkAgreement(models.Model):
    """A version of the FIT-Store framework agreement (Rahmenvereinbarung) that states join."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.title} {self.version}"


class Accession(models.Model):
    """A state's accession to the FIT-Store (Beitritt); absent means status NONE."""

    state = models.OneToOneField("directory.State", on_delete=models.PROTECT, related_name="accession")
    agreement = models.ForeignKey(FrameworkAgreement, on_delete=models.PROTECT, related_name="accessions")
    status = models.CharField(
        _("status"), max_length=12, choices=AccessionStatus.choices, default=AccessionStatus.SIGNED
    )
    signatory = models.CharField(_("signatory"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")
        constraints = [
            models.CheckConstraint(
                name="accession_status_is_signed_or_withdrawn",
                condition=models.Q(status__in=[AccessionStatus.SIGNED, AccessionStatus.WITHDRAWN]),
            )
        ]

    def __str__(self):
        return f"{self.state} · {self.get_status_display()}"
