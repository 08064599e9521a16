"""Atomic writes: an interrupted run never leaves a half-written file that looks valid."""

import json
import os
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(final):
    """Yield a temporary sibling of ``final`` (same suffix) and rename it into place on success."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.stem}.partial{final.suffix}")
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path, data) -> None:
    """Pretty JSON, written atomically."""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(data, indent=2) + "\n")
