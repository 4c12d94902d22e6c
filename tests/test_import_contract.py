"""The import contract (.importlinter): apps depend downwards, fitstore <- store, directory <-
licensing <- api. import-linter reads every import of the apps, also those inside functions;
these tests run it, on the project and on a copy with an upward import added."""
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from importlinter.cli import EXIT_STATUS_ERROR, EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / ".importlinter"
PACKAGES = ("fitstore", "store", "directory", "licensing", "api")


def test_the_apps_keep_the_import_contract(capsys):
    status = lint_imports(config_filename=str(CONTRACT), no_cache=True, no_logo=True)

    report = capsys.readouterr().out
    assert status == EXIT_STATUS_SUCCESS, report
    assert "1 kept, 0 broken" in report


def python_sources(directory, names):
    """For shutil.copytree: only the Python modules (and the folders that hold them)."""
    return [name for name in names
            if name in ("__pycache__", "static", "templates", "locale")
            or (not name.endswith(".py") and not Path(directory, name).is_dir())]


def lint_copy(root: Path) -> subprocess.CompletedProcess:
    """The linter run on the copy in `root`, in a process of its own (it finds the packages on
    its path, and this process has imported the real ones)."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='.importlinter', no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=python_sources)
    shutil.copy(CONTRACT, tmp_path / ".importlinter")
    kept = lint_copy(tmp_path)
    assert kept.returncode == EXIT_STATUS_SUCCESS, kept.stdout + kept.stderr

    (tmp_path / "store" / "upward.py").write_text(textwrap.dedent('''\
        def subscriptions():
            from licensing.models import Subscription

            return Subscription.objects.all()
    '''))
    broken = lint_copy(tmp_path)

    assert broken.returncode == EXIT_STATUS_ERROR
    assert "store is not allowed to import licensing" in broken.stdout
    assert "store.upward -> licensing.models (l.2)" in broken.stdout
