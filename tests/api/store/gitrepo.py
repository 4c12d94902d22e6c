"""Real git repositories for the store's tests, made with pygit2 in a temporary directory."""
from pathlib import Path

import pygit2

PUBLICCODE = """\
publiccodeYmlVersion: "0"
name: Wohngeld-Antrag
url: https://gitlab.opencode.de/example/wohngeld.git
releaseDate: 2026-01-15
platforms: [web]
categories: [data-collection]
developmentStatus: stable
softwareType: standalone/web
description:
  de:
    shortDescription: Wohngeld online beantragen
    longDescription: >
      Mit dem Wohngeld-Antrag beantragen Bürgerinnen und Bürger Wohngeld online, laden Nachweise
      hoch und erhalten den Bescheid in ihr Postfach. Die Länder schließen ihre Wohngeldbehörden
      über FIT-Connect an.
    features:
      - Antrag online stellen
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Erika Mustermann
localisation:
  localisationReady: true
  availableLanguages: [de]
"""


class GitRepository:
    """A working repository with commits at increasing times (so that history has an order)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.repo = pygit2.init_repository(str(self.path), initial_head="main")
        self.clock = 1_760_000_000

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def _signature(self, name="Erika Mustermann"):
        self.clock += 60
        return pygit2.Signature(name, "erika@example.org", self.clock, 60)

    def commit(self, subject: str, files: dict[str, str | bytes] | None = None) -> str:
        files = files or {f"{subject[:20].replace(' ', '_')}.txt": subject}
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode() if isinstance(content, str) else content)
            self.repo.index.add(name)
        self.repo.index.write()
        tree = self.repo.index.write_tree()
        parents = [] if self.repo.head_is_unborn else [self.repo.head.target]
        signature = self._signature()
        return str(self.repo.create_commit("HEAD", signature, signature, f"{subject}\n\nDetails.\n", tree, parents))

    def tag(self, name: str, *, annotated: bool = True, target: str | None = None, tagger: str = "Max Muster",
            message: str | None = None) -> str:
        """Tag HEAD (or `target`); annotated tags carry `message` (default "Release <name>")."""
        oid = pygit2.Oid(hex=target) if target else self.repo.head.target
        if annotated:
            self.repo.create_tag(name, oid, pygit2.enums.ObjectType.COMMIT, self._signature(tagger),
                                 message if message is not None else f"Release {name}\n")
        else:
            self.repo.create_reference(f"refs/tags/{name}", oid)
        return str(oid)

    def branch(self, name: str, at: str) -> None:
        """Create branch `name` at commit `at` and make it HEAD."""
        self.repo.create_branch(name, self.repo[pygit2.Oid(hex=at)])
        self.repo.set_head(f"refs/heads/{name}")
        self.repo.checkout_head(strategy=pygit2.enums.CheckoutStrategy.FORCE)
