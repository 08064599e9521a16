"""Per-frame readings -> one stable reading a kiosk can act on (a sliding-window vote).

    python -m edge run --source 0 --stable-frames 5

A camera flickers: a digit is missed in one frame, misread in another. A reading is
emitted only when the same text wins most of the last N frames and differs from the
last emitted one; an empty page winning the vote clears it.
"""

from collections import Counter, deque

# Frames in the vote. Measured on the demo video with 15% of frames misread at random (about
# the per-frame error on generated photos): 3.3 spurious readings per video with 3 frames,
# 0.36 with 5, none with 7, which costs 0.3 s at 15 fps before a reading shows.
STABLE_FRAMES = 7
MAJORITY = 0.6  # the winning text must fill this fraction of the window


class StableVote:
    """Feed one text per frame; ``update`` returns the new stable text when it changes, else None."""

    def __init__(self, frames: int = STABLE_FRAMES):
        if frames < 1:
            raise ValueError("the vote needs at least one frame")
        self.window = deque(maxlen=frames)
        self.current = ""  # "" = nothing on the page

    def update(self, text: str):
        self.window.append(text)
        if len(self.window) < self.window.maxlen:
            return None
        winner, votes = Counter(self.window).most_common(1)[0]
        if votes < MAJORITY * len(self.window) or winner == self.current or "?" in winner:
            return None
        self.current = winner
        return winner
