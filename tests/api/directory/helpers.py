"""Shared by the directory's API tests: a context that asserts a refused write changed nothing."""
import contextlib

from directory.models import Authority, Endpoint, Responsibility
from fitstore.models import AuditEntry


@contextlib.contextmanager
def nothing_written():
    counts = lambda: (Authority.objects.count(), Endpoint.objects.count(), Responsibility.objects.count(),  # noqa: E731
                      AuditEntry.objects.count())
    before = counts()
    yield
    assert counts() == before
