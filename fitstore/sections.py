"""Page sections: an extension point through which an app adds a section to a lower app's page.

The lower app declares a `Slot` for a place on one of its pages (the store's
`store.extensions.online_service_page`); an app above it registers a provider there in its
`AppConfig.ready()`. The page's view asks the slot for its sections, and the template renders
each with `{% render_section section %}` (tag library `sections`). Without a provider the page has
no such section, and the lower app never imports the higher one.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")


@dataclass(frozen=True)
class Section:
    """What a provider contributes: a template, rendered with `context` on top of the page's."""

    template_name: str
    context: Mapping[str, Any] = field(default_factory=dict)
    anchor: str = ""  # the id of the section's element, for the page's table of contents
    title: str = ""  # its entry in the table of contents


class Slot(Generic[P]):
    """A place on a page; its providers take the arguments the page's view passes (P)."""

    def __init__(self, name: str):
        self.name = name
        self._providers: list[Callable[P, Section | None]] = []

    def __repr__(self):
        return f"<Slot {self.name}: {len(self._providers)} providers>"

    def register(self, provider: Callable[P, Section | None]) -> None:
        """Add `provider` (once; registering it again changes nothing). Sections keep the order
        in which their providers were registered."""
        if provider not in self._providers:
            self._providers.append(provider)

    def sections(self, *args: P.args, **kwargs: P.kwargs) -> list[Section]:
        """The sections of this place, from every provider that has one for these arguments."""
        found = (provider(*args, **kwargs) for provider in self._providers)
        return [section for section in found if section is not None]
