"""Reading online services' git repositories safely (pygit2): URL policy, bare mirrors, tags.

The store fetches code that strangers host, on a server that can reach internal networks, so:

- only `https://` URLs to hosts in `settings.GIT_ALLOWED_HOSTS`, on the default port, without
  credentials, whose addresses all resolve to public ones (no loopback, private, link-local,
  reserved, multicast or unspecified addresses); `file://` URLs and absolute local paths only
  where `settings.ALLOW_LOCAL_REPOSITORIES` is true; every other transport (`http`, `git`,
  `ssh`, scp-like `host:path`, `ext::`, `fd::`, …) is refused (`policy`);
- tags that look like options (a leading `-`) or that git's check-ref-format refuses are refused
  before they reach git (`policy`);
- fetches go into a bare mirror under `VAR_DIR/mirrors` (outside the web root), with a time
  limit and a size cap; a first clone is made in a temporary directory and moved into place
  only when complete, so a failed fetch leaves nothing half-written (`mirrors`);
- blobs read from a tag (publiccode.yml) are size-capped and parsed with `yaml.safe_load`,
  refusing aliases, no "billion laughs" (`tags`, `publiccode`).

`versions` holds Semantic Versioning (tags as versions, release order). Errors are
`ValidationError`s naming the input field ("repository_url" or "tag") with codes from
`store.error_codes`, so services and the API report them as data. Callers import from this
package; the modules are its rooms.

Known limit: libgit2 resolves the host again when it connects; the check here does not pin the
address (DNS rebinding between the check and the connection is not prevented).
"""
from .mirrors import default_branch, fetch_mirror, list_tags, mirror_path, mirrors_dir
from .policy import RepositoryLocation, check_repository_url, check_tag, resolve_public_addresses
from .publiccode import parse_publiccode
from .tags import TagInfo, TagSummary, changelog, read_tag, semver_tags
from .versions import Version, latest_release, parse_version, prerelease_key, release_precedence

__all__ = [
    "RepositoryLocation", "TagInfo", "TagSummary", "Version", "changelog", "check_repository_url", "check_tag",
    "default_branch", "fetch_mirror", "latest_release", "list_tags", "mirror_path", "mirrors_dir",
    "parse_publiccode", "parse_version", "prerelease_key", "read_tag", "release_precedence",
    "resolve_public_addresses", "semver_tags",
]
