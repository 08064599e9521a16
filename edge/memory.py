"""Keep a frame's memory for the next frame: the allocator setting a long-running reader wants.

    from edge.memory import keep_frame_memory
    keep_frame_memory()  # once, before the first frame (the CLI and the bench do)

Each frame allocates the same big arrays again (the darkness map of a 640x480 frame is
1.2 MB of float32, the labels, the masks). glibc's malloc hands arrays over 128 KB out as
fresh mappings, and gives memory freed at the top of its heap back to the system, so every
frame touched its arrays' pages anew: 1,083 page faults a frame on the bench's frames, and
a quarter of the frame's time here (3.9-4.5 ms against 5.2-5.8 ms, nine pairs of runs, each
pair minutes apart; ``python -m edge run`` on the demo video 302-306 fps against 400-424).
Kept, they cost nothing after the first frame. (glibc raises both limits by itself once a big
mapping is freed, which is why a process that loaded MNIST first, as the bench does, shows
no difference.)
"""

import ctypes
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_FROM = 32 * 2**20  # bytes: arrays under this come from the heap (glibc's ceiling on 64 bits)
KEEP_FREED = 64 * 2**20  # bytes of freed memory at the heap's top kept for the next frames


def keep_frame_memory() -> bool:
    """Ask glibc to keep freed frame-sized memory (see above); True when it took both settings.

    A no-op elsewhere (macOS, musl, Windows: their allocators are left as they are). On 32-bit
    glibc (armhf Raspberry Pi OS) the mapping threshold cannot go past 512 KB and is left: the
    kept heap still saves most faults of the smaller arrays."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    mapped = mallopt(M_MMAP_THRESHOLD, MMAP_FROM) == 1
    kept = mallopt(M_TRIM_THRESHOLD, KEEP_FREED) == 1
    return mapped and kept
