"""What the directory indexes for search (NetBox's per-app `search.py`): authorities, with the
weight of each field. The backends (fitstore.search) know nothing of the directory.

Authorities are indexed on commit of every audited write to an authority or to one of its
responsibilities (fitstore.search.hooks: the audit record is the one place all writers pass
through: the services, the federation mirror). Reads pass the directory's permission filter
(directory.access.restrict_authorities): the hits are only ids, callers load the rows through
their restricted queryset.
"""
from django.db.models import Prefetch
from django.utils import translation

from fitstore.search import Document, SearchIndex, register

from .choices import AuthorityKind
from .models import Authority, Responsibility, State


def _german_kind(kind: str) -> str:
    with translation.override("de"):
        return str(AuthorityKind(kind).label) if kind in AuthorityKind.values else kind


@register
class AuthorityIndex(SearchIndex):
    name = "authorities"
    model = Authority
    # The name says who it is; the LeiKa names of its responsibilities say what it does (a
    # citizen looks for "Wohngeldstelle" or for "Wohngeld"); seat and state narrow down where.
    fields = {
        "name": 5.0,
        "identifier": 3.0,
        "region": 2.0,
        "kind": 1.0,
        "leika_services": 1.0,
        "state": 0.5,
    }
    facets = {"state": "Land", "kind": "Art der Behörde"}
    highlight_fields = ("name",)

    def get_queryset(self):
        return Authority.objects.select_related("state", "region").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("service"))
        )

    def document(self, authority) -> Document:
        return Document(
            object_id=str(authority.pk),
            texts={
                "name": authority.name,
                # "wgb:010540880000": the key (the prefix is a namespace, often the state's code,
                # no word a reader searches for; the filter matches identifiers literally)
                "identifier": authority.identifier.partition(":")[2] or authority.identifier,
                "region": authority.region.name if authority.region_id else "",
                "kind": _german_kind(authority.kind),
                "leika_services": sorted({r.service.name for r in authority.responsibilities.all()}),
                "state": authority.state.name,
            },
            facets={"state": authority.state.code, "kind": authority.kind},
        )

    def facet_labels(self, facet, values):
        if facet == "state":
            return dict(State.objects.filter(code__in=values).values_list("code", "name"))
        if facet == "kind":
            return {value: _german_kind(value) for value in values}
        return super().facet_labels(facet, values)

    def ids_for_audit(self, model, object_id: str, before: dict | None, after: dict | None) -> list[str]:
        """Which authorities an audited write changes: the authority itself, or the one a
        responsibility belongs to (from the snapshot, present even after a delete)."""
        if model is Authority:
            return [object_id]
        if model is Responsibility:
            snapshot = after or before or {}
            if snapshot.get("authority_id"):
                return [str(snapshot["authority_id"])]
            identifier = snapshot.get("authority")
            if identifier:
                return [str(pk) for pk in Authority.objects.filter(identifier=identifier).values_list("pk", flat=True)]
            authority_id = Responsibility.objects.filter(pk=object_id).values_list("authority_id", flat=True).first()
            return [str(authority_id)] if authority_id else []
        return []
