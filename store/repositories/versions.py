"""Semantic Versioning 2.0.0 for release tags: parsing, precedence, and the release to show first."""
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fitstore.errors import field_error

from ..error_codes import StoreErrorCode

# Semantic Versioning 2.0.0 (semver.org's regular expression), with an optional leading v.
_SEMVER = re.compile(
    r"^[vV]?(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<prerelease>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+(?P<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""
    build: str = ""

    def __str__(self):
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"+{self.build}"
        return text

    @property
    def precedence(self) -> tuple:
        """A sort key in semver precedence (build metadata ignored; 1.0.0-rc.1 < 1.0.0)."""
        if not self.prerelease:
            return (self.major, self.minor, self.patch, 1, ())
        identifiers = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease.split(".")
        )
        return (self.major, self.minor, self.patch, 0, identifiers)

    @property
    def prerelease_key(self) -> str:
        """The pre-release's semver precedence as a string that sorts the same under any database
        collation (lowercase hex of a byte key), for ordering releases in SQL: "rc.9" < "rc.10"."""
        return prerelease_key(self.prerelease)


def prerelease_key(prerelease: str) -> str:
    """See Version.prerelease_key. Numeric identifiers (1, length, digits) sort before
    alphanumeric ones (2, ASCII), a 0 byte separates identifiers, and a shorter list that is a
    prefix of a longer one sorts first, as semver's precedence rules say."""
    if not prerelease:
        return ""
    parts = []
    for identifier in prerelease.split("."):
        if identifier.isdigit():
            digits = identifier.lstrip("0") or "0"
            parts.append(b"\x01" + bytes([min(len(digits), 255)]) + digits.encode("ascii"))
        else:
            parts.append(b"\x02" + identifier.encode("ascii", "replace"))
    return b"\x00".join(parts).hex()


def parse_version(tag: str) -> Version:
    """The semantic version of a tag ("v1.2.0" → 1.2.0); ValidationError on "tag" when it has none."""
    match = _SEMVER.match(tag)
    if not match:
        raise field_error("tag", _("The tag %(tag)r is not a semantic version such as v1.2.0."),
                          StoreErrorCode.NOT_SEMVER, tag=tag[:80])
    return Version(int(match["major"]), int(match["minor"]), int(match["patch"]), match["prerelease"] or "",
                   match["build"] or "")


def release_precedence(release) -> tuple:
    return Version(release.version_major, release.version_minor, release.version_patch,
                   release.version_prerelease).precedence


def latest_release(releases):
    """The release with the highest version (semver precedence, not date); pre-releases only
    when there is no release proper."""
    releases = list(releases)
    stable = [release for release in releases if not release.is_prerelease]
    return max(stable or releases, key=release_precedence, default=None)
