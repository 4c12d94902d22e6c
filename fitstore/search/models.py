"""Tables of the search machinery: the embedded backend's inverted index and the engine's
catch-up list. Imported by fitstore.models so that they belong to the `fitstore` app."""
from django.db import models
from django.utils import timezone


class SearchTerm(models.Model):
    """One analysed term of one indexed object, with its weight (the embedded backend's index).

    Facet values and the document marker are terms too, starting with "=" ("=topic:06",
    "=doc"), so the embedded backend needs no other table and no join to the app's models.
    """

    index = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    term = models.CharField(max_length=120)
    weight = models.FloatField(default=0.0)

    class Meta:
        verbose_name = "search term"
        verbose_name_plural = "search terms"
        indexes = [models.Index(fields=["index", "term"], name="fitstore_searchterm_term")]
        constraints = [
            # also the index for an object's terms; two writers indexing one object cannot double its weights
            models.UniqueConstraint(fields=["index", "object_id", "term"], name="fitstore_searchterm_unique"),
        ]

    def __str__(self):
        return f"{self.index}/{self.object_id}: {self.term} ({self.weight:.2f})"


class SearchDirty(models.Model):
    """An object whose engine document is stale because the engine was unreachable; the next
    successful write or `search_index --catch-up` indexes it again."""

    index = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "stale search document"
        verbose_name_plural = "stale search documents"
        constraints = [models.UniqueConstraint(fields=["index", "object_id"], name="fitstore_searchdirty_unique")]

    def __str__(self):
        return f"{self.index}/{self.object_id}"


from . import hooks  # noqa: E402  (the audit hook, connected once the registry knows AuditEntry)

hooks.connect()
