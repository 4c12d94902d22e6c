import pytest

from .gitrepo import GitRepository


@pytest.fixture
def local_repositories(settings, tmp_path):
    """Local repositories allowed, mirrors in the test's own directory."""
    settings.ALLOW_LOCAL_REPOSITORIES = True
    settings.VAR_DIR = tmp_path / "var"
    return settings


@pytest.fixture
def git_repository(tmp_path, local_repositories):
    """An empty working repository (see gitrepo.GitRepository)."""
    return GitRepository(tmp_path / "upstream")
