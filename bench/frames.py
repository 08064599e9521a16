"""Frame pipeline timing on 640x480 frames with 1-4 digits: the whole reading (``read_frame``,
what the product does per frame) and, apart, its main stages on the frame at full size (the
reader searches at half size first, where the writing is big enough: ``edge.reader._found``).

The stages leave out the reader's own steps between them (strokes joined, touching digits
split, reading order, the consensus of a line): their total is not the frame's time."""

import time

import cv2
import numpy as np

from edge.ink import ink_levels, to_grey
from edge.marks import find_in_levels
from edge.normalise import normalise
from edge.reader import read_frame
from edge.sources import open_source

STAGES = ("grey", "threshold", "candidates", "normalise", "classify", "total")  # total: of these stages


def demo_frames(path, size=(640, 480)) -> list:
    """Every frame of a video, resized to ``size``, read through the edge runtime's own source."""
    source, frames = open_source(str(path)), []
    while (frame := source.read()) is not None:
        frames.append(cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR))
    source.release()
    return frames


def generated_frames(digits_x, digits_y, count: int, seed: int = 3, size=(640, 480)) -> list:
    from tests import synth

    rng = np.random.default_rng(seed)
    return [cv2.resize(synth.photo_sample(rng, digits_x, digits_y, int(rng.integers(1, 5))).image, size)
            for _ in range(count)]


def stage_times(frames: list, classifier, repeats: int = 1) -> dict:
    """{"ms": {stage: {"median", "every_pass"}}, "fps", "frames", "passes"}: "reading" is the
    whole ``read_frame``, timed one frame at a time.

    "median": each frame's best time over ``repeats`` passes through the whole set, then the
    median over the frames. Other processes on the machine take time from a pass at random
    (single passes of one build gave 2.31-2.94 ms within 10 minutes here), and the best of a
    few is what the code takes (timeit's advice); a pass through 100 frames leaves none of
    them in the cache for the next. "every_pass": the median of every time measured."""
    times = {s: np.zeros((repeats, len(frames))) for s in STAGES + ("reading",)}
    for r in range(repeats):
        for i, frame in enumerate(frames):
            t0 = time.perf_counter()
            grey = to_grey(frame)
            t1 = time.perf_counter()
            levels = ink_levels(grey)
            t2 = time.perf_counter()
            marks = find_in_levels(*levels)
            t3 = time.perf_counter()
            crops = np.stack([normalise(m.ink) for m in marks]) if marks else np.zeros((0, 28, 28), np.uint8)
            t4 = time.perf_counter()
            classifier.predict(crops)
            t5 = time.perf_counter()
            for stage, a, b in zip(STAGES, (t0, t1, t2, t3, t4, t0), (t1, t2, t3, t4, t5, t5)):
                times[stage][r, i] = (b - a) * 1000
            t0 = time.perf_counter()
            read_frame(frame, classifier)
            times["reading"][r, i] = (time.perf_counter() - t0) * 1000
    ms = {s: {"median": round(float(np.median(v.min(axis=0))), 3), "every_pass": round(float(np.median(v)), 3)}
          for s, v in times.items()}
    return {"ms": ms, "fps": round(1000 / ms["reading"]["median"], 1), "frames": len(frames), "passes": repeats}
