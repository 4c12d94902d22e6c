"""Index on commit whatever the audit log records (fitstore.audit.record): every write of our
services, of the federation mirror and of any later writer goes through one audit record, so
no writer has to remember to call the search. Connected lazily to AuditEntry's post_save from
fitstore.search.models (imported while the app registry loads), as are the request signals that
give each request its memo of filter searches."""
import logging

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)


def index_audited(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw:
        return
    try:
        from . import index_audited_on_commit

        model = instance.object_type.model_class()
        if model is not None:
            index_audited_on_commit(model, instance.object_id, instance.before, instance.after)
    except Exception:  # a write never fails because of search
        logger.exception("could not queue the search index update for %s", instance.object_id)


def request_began(sender=None, **kwargs):
    """Each request searches afresh, once per filter (see fitstore.search._filter_hits)."""
    from . import remember_filter_hits

    remember_filter_hits()


def request_ended(sender=None, **kwargs):
    from . import stop_remembering_filter_hits

    stop_remembering_filter_hits()


def connect() -> None:
    request_started.connect(request_began, dispatch_uid="fitstore.search.request_began")
    request_finished.connect(request_ended, dispatch_uid="fitstore.search.request_ended")
    post_save.connect(index_audited, sender="fitstore.AuditEntry", dispatch_uid="fitstore.search.index_audited")
