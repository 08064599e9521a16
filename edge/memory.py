"""Keep a frame's memory for the next frame: the allocator setting a long-running reader wants.

    from edge.memory import keep_frame_memory
    keep_frame_memory()  # once, before the first frame (the CLI and the bench do)

Each frame allocates the same big arrays again (the darkness map of a 640x480 frame is
1.2 MB of float32, the labels, the masks). glibc's malloc hands big arrays out as fresh
mappings, and gives memory freed at the top of its heap back to the system, each by a
threshold that it moves itself as it goes, so a frame may touch its arrays' pages anew. How
often varied between runs of the same code here: from under 10 to 1,100 page faults a frame on
the bench's frames, and at the worst 5.3-5.8 ms a frame against 3.6 (in such a run
``python -m edge run`` read the demo video at 302-306 fps, at 400-424 with this setting).
With it, no frame faulted in any run. (A process that loaded MNIST first, as the bench does,
freed mappings big enough to push glibc's thresholds this high by themselves.)
"""

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_MMAP_MAX = -1, -3, -4  # glibc's malloc.h
MMAP_FROM = 32 * 2**20  # bytes: arrays under this come from the heap (glibc's ceiling on 64 bits)
KEEP_FREED = 64 * 2**20  # bytes of freed memory at the heap's top kept for the next frames


def keep_frame_memory() -> bool:
    """Ask glibc to keep freed frame-sized memory (see above); True when it took the settings.

    A no-op elsewhere (macOS, musl, Windows: their allocators are left as they are). On 32-bit
    glibc (armhf Raspberry Pi OS) the mapping threshold cannot pass 512 KB, under a frame's
    arrays: there glibc is told to map nothing (M_MMAP_MAX 0), which on 64 bits here also left
    no frame faulting."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    mapped = mallopt(M_MMAP_THRESHOLD, MMAP_FROM) == 1 or mallopt(M_MMAP_MAX, 0) == 1
    kept = mallopt(M_TRIM_THRESHOLD, KEEP_FREED) == 1
    return mapped and kept
