"""Connected pieces of a mask, and the pixels of a chosen few of them.

One place for labelling, because the choice matters for speed: OpenCV's default
algorithm with statistics took 1.6 ms on a 640x480 ink mask here, Grana's decision
tree 0.8 ms for the same labels and boxes, 0.54 ms when only the box around the ink is
labelled, 0.37 ms without statistics; and ``np.isin`` took 2 ms to pick two labels out
of a frame, where two comparisons take 0.09 ms. Labels of 16 bits rather than 32 took the
statistics pass from 0.38 to 0.28 ms (the 100 bench frames' ink).
"""

import cv2
import numpy as np

FEW_LABELS = 8  # up to this many labels are picked by comparison, more through a lookup table
ALGORITHM = getattr(cv2, "CCL_SPAGHETTI", cv2.CCL_GRANA)  # Bolelli's Spaghetti (OpenCV 4.5.2 on): Grana's
# labels and boxes, 0.97 of the time on the bench's masks


def label(mask: np.ndarray) -> tuple:
    """(H, W) bool or uint8 mask -> (count, (H, W) uint16 or int32 labels, (count, 5) stats), 8-connected;
    label 0 is the background (its stats row: the whole frame and the background's area), the
    other stats rows are OpenCV's (x, y, w, h, area).

    Only the box around the ink is labelled: OpenCV's statistics pass visits every pixel,
    background too (0.6 ms for an empty 640x480 mask), and a number on a page fills a
    fraction of the frame."""
    mask = as_uint8(mask)
    x, y, w, h = cv2.boundingRect(mask)
    if w * h == mask.size:
        return _label(mask)
    if w == 0:
        return 1, np.zeros(mask.shape, np.uint16), np.array([[0, 0, mask.shape[1], mask.shape[0], mask.size]], np.int32)
    count, inside, stats = _label(mask[y : y + h, x : x + w])
    labels = np.zeros(mask.shape, inside.dtype)
    labels[y : y + h, x : x + w] = inside
    stats[1:, :2] += (x, y)
    stats[0] = (0, 0, mask.shape[1], mask.shape[0], mask.size - stats[1:, 4].sum())
    return count, labels, stats


def label_pixels(mask: np.ndarray) -> np.ndarray:
    """(H, W) int32 labels alone, 8-connected, for when boxes and areas are not needed: without
    the statistics pass labelling takes half the time."""
    return cv2.connectedComponentsWithAlgorithm(as_uint8(mask), 8, cv2.CV_32S, ALGORITHM)[1]


def on_the_rim(mask: np.ndarray) -> np.ndarray:
    """(H, W) bool: the pixels of the 8-connected pieces of ``mask`` (bool, or uint8 of 0 and 1)
    that touch its border. A flood fill from a frame of ink put around the mask, where labelling
    every piece took 2.5 times as long (the table's core in photos of a page on a desk)."""
    framed = cv2.copyMakeBorder(as_uint8(mask), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
    cv2.floodFill(framed, None, (0, 0), 2, 0, 0, 8)
    return framed[1:-1, 1:-1] == 2


def rim(a: np.ndarray) -> np.ndarray:
    """The values along the four sides of a 2-D array, as one 1-D array (corners twice): what
    touches the frame's border."""
    return np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])


def as_uint8(mask: np.ndarray) -> np.ndarray:
    """A mask as OpenCV takes it: a bool mask seen as uint8 without a copy (the same bytes)."""
    return mask.view(np.uint8) if mask.dtype == bool else mask.astype(np.uint8, copy=False)


def _label(mask: np.ndarray) -> tuple:
    """Labels of 16 bits where they cannot run out (no more pieces than ink pixels), else 32."""
    kind = cv2.CV_16U if cv2.countNonZero(mask) < 2**16 else cv2.CV_32S
    count, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, kind, ALGORITHM)
    return count, labels, stats


def pixels_of(labels: np.ndarray, wanted) -> np.ndarray:
    """(H, W) bool: where ``labels`` is one of ``wanted`` (label 0 is never wanted). A few labels
    are compared one by one (0.04 ms each on a 640x480 frame); more go through a lookup table
    (0.4 ms whatever their number)."""
    if isinstance(wanted, np.ndarray):  # a frame's border, say: np.unique first
        wanted = np.unique(wanted).tolist()
    wanted = sorted({int(w) for w in wanted if w > 0})  # for a short list, 30x faster than np.unique
    if len(wanted) == 1:
        return labels == wanted[0]  # most marks are one piece
    if len(wanted) <= FEW_LABELS:
        found = np.zeros(labels.shape, bool)
        for w in wanted:
            found |= labels == w
        return found
    lut = np.zeros(max(int(labels.max()), int(wanted[-1])) + 1, bool)
    lut[wanted] = True
    return np.take(lut, labels)
