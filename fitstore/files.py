"""Files the store makes for itself on its first start (the development secret key, the
development signing key), made so that processes starting together agree on one.

Imported by the settings: nothing from Django here.
"""
import os
import threading
from collections.abc import Callable
from pathlib import Path


def create_once(path: Path, make: Callable[[], bytes], *, mode: int = 0o600) -> bytes:
    """The content of `path`, written with `make()` first when there is no such file.

    The file appears whole or not at all: it is written under a name of this process and thread,
    then hard-linked into place, which fails when another process got there first; then everyone
    reads the one file. So no process reads it half-written (and keeps that for its life), and no
    two processes go on with different contents."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    content = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}")
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process was first: its content counts
            pass
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_bytes()
