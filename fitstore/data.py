"""Reading the project's reference data files (data/, see data/SOURCES.md)."""
import csv
from pathlib import Path


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
