"""Loads the framework agreement(s) of the FIT-Store from data/licensing/ (a DEMO text).

`load_framework_agreements(data_dir)` is idempotent: each `framework_agreement_v*.md` is upserted
by its version, so `load_demo` may run it again; a changed text updates the row and its hash.
The files start with a small front matter (version, title, effective_from) between `---` lines.
"""
import datetime
import hashlib
from pathlib import Path

from django.db import transaction

from .models import FrameworkAgreement


def parse_agreement(path: Path) -> dict:
    """The front matter and the text (without the front matter) of one agreement file."""
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ValueError(f"{path.name}: the file must start with a front matter between --- lines")
    header, _, text = raw[4:].partition("\n---\n")
    meta = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip().strip('"')
    missing = {"version", "title", "effective_from"} - set(meta)
    if missing:
        raise ValueError(f"{path.name}: front matter lacks {', '.join(sorted(missing))}")
    text = text.strip() + "\n"
    return {
        "version": meta["version"],
        "title": meta["title"],
        "effective_from": datetime.date.fromisoformat(meta["effective_from"]),
        "text": text,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


@transaction.atomic
def load_framework_agreements(data_dir: Path) -> dict[str, int]:
    """Upsert every data/licensing/framework_agreement_v*.md; returns counts (agreements, created, updated)."""
    counts = {"agreements": 0, "created": 0, "updated": 0}
    for path in sorted((data_dir / "licensing").glob("framework_agreement_v*.md")):
        fields = parse_agreement(path)
        counts["agreements"] += 1
        agreement = FrameworkAgreement.objects.filter(version=fields["version"]).first()
        if agreement is None:
            FrameworkAgreement.objects.create(**fields)
            counts["created"] += 1
            continue
        changed = {key: value for key, value in fields.items() if getattr(agreement, key) != value}
        if changed:
            for key, value in changed.items():
                setattr(agreement, key, value)
            agreement.save(update_fields=list(changed))
            counts["updated"] += 1
    return counts
