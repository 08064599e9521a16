"""edge/memory.py: with glibc, freed frame-sized arrays are kept, so later frames fault no pages."""

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import resource, sys
import numpy as np
import edge.memory
if sys.argv[1] == "past-ceiling":  # as on 32 bits, where no threshold covers a frame's arrays
    edge.memory.MMAP_FROM = 2**31 - 1
kept = edge.memory.keep_frame_memory() if sys.argv[1] != "default" else None
def frame():  # a frame's arrays, alive together: 4.2 MB
    return [np.ones((480, 640), t) for t in (np.uint8, np.float32, np.uint16, np.float32, bool)]
for _ in range(3):  # the first frames may grow the heap
    frame()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    frame()
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> tuple:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    kept, faults = out.stdout.split()
    return kept, int(faults)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's; other allocators are left alone")
@pytest.mark.parametrize("mode", ["keep", "past-ceiling"])
def test_frame_sized_arrays_fault_no_pages_once_memory_is_kept(mode):
    kept, faults = _faults(mode)
    _, faults_default = _faults("default")
    assert kept == "True"
    assert faults < 50  # none, give or take the interpreter's own
    assert faults_default > 50 * 500  # a frame's ~1,000 pages touched anew: what the setting saves
