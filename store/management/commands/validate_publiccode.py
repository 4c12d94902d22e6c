"""``manage.py validate_publiccode [--no-network] [--format json] PATH...``

Validates publiccode.yml files as the reference validator does (see store/publiccode/ and docs/publiccode.md).
With ``--format json`` it prints one JSON object per line and path:
``{"path", "valid", "errors": [{"key", "description"}], "warnings": [...]}``.
Exits with status 1 when any file is invalid.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from store.publiccode import MAX_FILE_SIZE, Result, validate_publiccode


def _read(path: Path) -> bytes | Result:
    """The file's bytes, or a Result saying why it could not be read (never more than the limit)."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        result = Result()
        result.errors.append(
            {"key": "", "description": "can't open file '%s': %s" % (path, exc.strerror or exc), "line": 0, "column": 0}
        )
        return result


class Command(BaseCommand):
    help = "Validate publiccode.yml files (standard v0) as the reference validator does."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--no-network", action="store_true",
            help="skip the checks that fetch URLs (reachability, remote logos)",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, paths, no_network, **options):
        output_format = options["format"]
        invalid = 0
        for name in paths:
            path = Path(name)
            content = _read(path)
            if isinstance(content, Result):
                result = content
            else:
                result = validate_publiccode(content, base_dir=path.resolve().parent, network=not no_network)
            invalid += not result.valid
            if output_format == "json":
                self.stdout.write(json.dumps({
                    "path": name,
                    "valid": result.valid,
                    "errors": [{"key": e["key"], "description": e["description"]} for e in result.errors],
                    "warnings": [{"key": w["key"], "description": w["description"]} for w in result.warnings],
                }, ensure_ascii=False))
            else:
                for kind, entries in (("error", result.errors), ("warning", result.warnings)):
                    for entry in entries:
                        key = "%s: " % entry["key"] if entry["key"] else ""
                        self.stdout.write(
                            "%s:%d:%d: %s: %s%s" % (name, entry["line"], entry["column"], kind, key, entry["description"])
                        )
                self.stdout.write("%s: %s" % (name, "valid" if result.valid else "invalid"))
        if output_format == "text":
            self.stdout.write("%d file(s) checked, %d invalid" % (len(paths), invalid))
        if invalid:
            raise SystemExit(1)
