"""Candidate digit -> 28x28 model input, made the way MNIST was made.

Tight crop, stroke width brought into MNIST's range, longer side scaled to 20 px with
anti-aliasing, placed in 28x28 by centre of mass.
"""

import cv2
import numpy as np

from edge.labels import as_uint8, label_pixels
from edge.spec import BOX, SIDE

# MNIST stroke width as a fraction of the digit's longer side, measured on its test set
# (ink > 127): median 0.113, 2nd percentile 0.067, 98th 0.197.
TARGET_STROKE = 0.113
STROKE_RANGE = (0.067, 0.197)  # strokes inside this range are left as written
EVEN_KERNEL = 31  # px: a mark whose stroke needs a wider kernel is shrunk first (dilating a 1,250-px
# mark of 1-px lines by 130 px took 0.37 s; a paint drawing of 1500-2000 px read in 0.4-0.7 s)


def stroke_width(mask: np.ndarray) -> float:
    """(h, w) bool or 0/1 uint8 -> mean stroke width in pixels: ink area over half the outline length.
    (The table's mask is the whole frame: counting beats summing bools 10x.)"""
    area = float(np.count_nonzero(mask))
    if area == 0:
        return 0.0
    contours, _ = cv2.findContours(as_uint8(mask), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    outline = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * area / max(outline, 1.0)


def normalise(ink: np.ndarray, turn: float = 0.0) -> np.ndarray:
    """(h, w) float ink strength in [0, 1] -> (28, 28) uint8, white on black: MNIST's recipe.

    Stroke width is brought to MNIST's (so a 1-px line and a marker look alike), the
    longer side is scaled to 20 px with anti-aliasing, and the digit is placed in
    28x28 by its centre of mass. ``turn`` (degrees, counter-clockwise) turns it first.
    """
    ink = _even_stroke(_turned(ink, turn) if turn else ink)
    x, y, w, h = cv2.boundingRect((ink > 0.3).view(np.uint8))
    if w == 0:
        return np.zeros((SIDE, SIDE), np.uint8)
    crop = ink[y : y + h, x : x + w] * np.float32(255)
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return _centre_by_mass(small)


def _turned(ink: np.ndarray, degrees: float) -> np.ndarray:
    """The ink turned about its centre on a canvas big enough to hold all of it."""
    h, w = ink.shape
    side = int(np.ceil(np.hypot(h, w))) + 2
    top, left = (side - h) // 2, (side - w) // 2
    canvas = cv2.copyMakeBorder(ink.astype(np.float32), top, side - h - top, left, side - w - left,
                                cv2.BORDER_CONSTANT, value=0)
    return cv2.warpAffine(canvas, cv2.getRotationMatrix2D((side / 2, side / 2), degrees, 1.0), (side, side))


def _even_stroke(ink: np.ndarray) -> np.ndarray:
    """Dilate strokes thinner than MNIST's, erode thicker ones, towards ``TARGET_STROKE``; on a
    canvas padded for the wider strokes, and only then (most marks are left as written)."""
    ink, longer = ink.astype(np.float32, copy=False), max(ink.shape)
    ratio = stroke_width(ink > 0.5) / longer  # the outline of ink on the border is traced as if padded
    k = int(round(abs(TARGET_STROKE - ratio) * longer))
    if STROKE_RANGE[0] <= ratio <= STROKE_RANGE[1] or k < 1:
        return ink
    pad = max(2, longer // 10)
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    if k > EVEN_KERNEL:  # a big mark of thin lines: the kernel is as wide as the change of width
        ink, k = shrunk(ink, EVEN_KERNEL / k), EVEN_KERNEL
    if ratio < TARGET_STROKE:
        return cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1)))
    return _thinned(ink, k)


def _thinned(ink: np.ndarray, k: int) -> np.ndarray:
    """``ink`` eroded by a round kernel k + 1 wide, or half as wide (and so on) where that would
    leave under 0.3 of its solid ink or break it into more pieces: a chalk 8 so thick that its
    upper loop had filled in lost its lower loop's thin side to the full kernel and read as 9
    (the guard held off 39 erosions in the six seeds' 1,800 strings and changed one reading,
    that 8; the unseen seeds read two more strings right, no other set changed)."""
    solid = ink > 0.5
    area, pieces = np.count_nonzero(solid), _pieces(solid)
    while k >= 1:
        thinned = cv2.erode(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1)))
        kept = thinned > 0.5
        if np.count_nonzero(kept) > 0.3 * area and _pieces(kept) <= pieces:
            return thinned
        k //= 2
    return ink


def _pieces(mask: np.ndarray) -> int:
    """8-connected pieces of a bool mask."""
    return int(label_pixels(mask).max())


def shrunk(image: np.ndarray, f: float, dark_ink: bool = False) -> np.ndarray:
    """The image scaled by ``f`` < 1, its strokes first widened by 1/f so that a 1-px line keeps
    its strength when pixels are averaged (a grey erosion for dark ink, a dilation for light)."""
    k = np.ones((int(np.ceil(1 / f)),) * 2, np.uint8)
    grown = cv2.erode(image, k) if dark_ink else cv2.dilate(image, k)
    size = (max(1, round(image.shape[1] * f)), max(1, round(image.shape[0] * f)))
    return cv2.resize(grown, size, interpolation=cv2.INTER_AREA)


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """(h, w) float, h and w <= 20 -> (28, 28) uint8 with the ink's centre of mass at the centre."""
    out = np.zeros((SIDE, SIDE), np.float32)
    h, w = digit.shape
    m = cv2.moments(digit)
    cy, cx = (m["m01"] / m["m00"], m["m10"] / m["m00"]) if m["m00"] > 0 else (h / 2, w / 2)
    top = min(max(round(SIDE / 2 - cy), 0), SIDE - h)  # plain ints: np.clip on a scalar costs 10x more
    left = min(max(round(SIDE / 2 - cx), 0), SIDE - w)
    out[top : top + h, left : left + w] = digit
    np.minimum(out, 255, out=out)  # in place: np.clip's checks cost more than the clipping
    return np.maximum(out, 0, out=out).astype(np.uint8)
