"""`manage.py publish_release SLUG TAG` — publish a release of an online service from a tag of
its repository, for release pipelines. Publishing a tag again changes nothing (exit 0)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fitstore.middleware import command_request_id
from store import services
from store.models import OnlineService, Release


class Command(BaseCommand):
    help = "Publish a release of an online service from a tag of its git repository."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The online service's slug, e.g. wohngeld.")
        parser.add_argument("tag", help="The tag, e.g. v1.2.0.")

    def handle(self, *args, slug, tag, **options):
        online_service = OnlineService.objects.filter(slug=slug).first()
        if online_service is None:
            raise CommandError(f"no online service with the slug {slug!r}.")
        known = Release.objects.filter(online_service=online_service, tag=tag).exists()
        self.stdout.write(f"fetching the repository of {slug} …")
        with command_request_id("publish_release"):
            try:
                release = services.publish_release(online_service, tag, actor="system:publish_release")
            except ValidationError as error:
                raise CommandError("; ".join(
                    f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
                )) from error
        state = "already published" if known else "published"
        self.stdout.write(f"{state} {slug} {release.version} ({release.tag} at {release.commit[:12]})")
