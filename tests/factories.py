"""factory_boy factories for test data that the reference data does not already provide.

Factories build rows directly (test set-up, not user writes); tests of a write go through the
services and assert the audit rows.
"""
import factory
from django.contrib.auth import get_user_model

from directory.models import State
from store.choices import Lifecycle
from store.models import OnlineService


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OnlineServiceFactory(factory.django.DjangoModelFactory):
    """An online service of a real state (Hessen unless given), with no LeiKa services."""

    class Meta:
        model = OnlineService
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"dienst-{n}")
    name = factory.Sequence(lambda n: f"Testdienst {n}")
    summary = "Ein Online-Dienst für Tests."
    provider_state = factory.LazyFunction(lambda: State.objects.by_code("HE"))
    lifecycle = Lifecycle.PILOT
