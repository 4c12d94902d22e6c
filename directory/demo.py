"""The demo directory that `make run` shows (`load_demo --reuse`): data/demo/directory.jsonl,
imported through the directory's import (directory/federation/exchange.py), so every line passes
the directory's rules and leaves its audit row. Real regions, invented authorities and addresses
(every name says "Beispiel", identifiers begin with `demo:`, addresses lie under `.example`);
`python data/derive.py demo-directory` writes the file. Importing it again changes nothing."""
from pathlib import Path

from .federation.exchange import ImportResult, import_lines

DEMO_FILE = Path("demo") / "directory.jsonl"


def load_demo_directory(data_dir: Path, *, actor, progress=None) -> ImportResult:
    """Imports data/demo/directory.jsonl (all or nothing); returns what the import did."""
    lines = (Path(data_dir) / DEMO_FILE).read_text(encoding="utf-8").splitlines()
    return import_lines(lines, actor=actor, progress=progress)
