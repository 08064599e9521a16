"""A bank of non-digit 28x28 images for outlier exposure: the model learns to be unsure of them.

    python -c "from train.outliers import make_outliers; print(make_outliers(100, 0).shape)"

The MLP has exactly ten outputs and no "not a digit" class, and a softmax trained on
digits alone is confidently wrong on a letter or a scribble. Training these shapes
towards the uniform distribution (Hendrycks et al. 2019, "outlier exposure") keeps
the architecture and parameter count and lets the edge reader's confidence threshold
reject them. Every shape goes through the edge reader's own ``normalise``, so it looks
exactly like what the device feeds the model.
"""

import cv2
import numpy as np

from edge.normalise import normalise
from train.camera import camera_view

CAMERA_SHARE = 0.5  # this share is also seen through a camera (train/camera.py), like the digits
CANVAS = 96  # pixels; shapes are drawn large, then normalised to 28x28 like a camera crop
# Letters that could pass for a digit (O 0, I l 1, S 5, Z 2, B 8, G b 6, q g 9, T 7...) are left out.
LETTERS = "ACEFHKMNPRUVWXacefhkmnpruvwx#@%&*+="
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_PLAIN,
)


def _letter(rng, canvas):
    text = "".join(rng.choice(list(LETTERS), size=rng.integers(1, 3)))
    font = int(rng.choice(FONTS)) | (cv2.FONT_ITALIC if rng.random() < 0.3 else 0)
    scale, thick = rng.uniform(1.5, 3.0), int(rng.integers(2, 9))
    (w, h), _ = cv2.getTextSize(text, font, scale, thick)
    cv2.putText(canvas, text, (max(2, (CANVAS - w) // 2), (CANVAS + h) // 2), font, scale, 255, thick)


def _scribble(rng, canvas):
    """A random walk with momentum: loops and zigzags, sometimes long, sometimes short."""
    points = [rng.uniform(20, CANVAS - 20, 2)]
    heading, steps = rng.uniform(0, 2 * np.pi), int(rng.integers(15, 40))  # short ones could be a 1 or a 7
    for _ in range(steps):
        heading += rng.normal(0, 0.9)
        points.append(np.clip(points[-1] + 6 * np.array([np.cos(heading), np.sin(heading)]), 2, CANVAS - 3))
    cv2.polylines(canvas, [np.int32(points)], False, 255, int(rng.integers(2, 10)))


def _blob(rng, canvas):
    """Filled ellipses and polygons, or thresholded smooth noise: stains, shadows, texture."""
    if rng.random() < 0.5:
        noise = cv2.GaussianBlur(rng.random((CANVAS, CANVAS)).astype(np.float32), (0, 0), rng.uniform(3, 8))
        canvas[noise > np.quantile(noise, rng.uniform(0.6, 0.9))] = 255
        return
    for _ in range(rng.integers(1, 4)):
        centre = tuple(int(v) for v in rng.integers(20, CANVAS - 20, 2))
        axes = tuple(int(v) for v in rng.integers(12, 35, 2))  # fat: a thin ellipse is a 1
        cv2.ellipse(canvas, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)


def _lines(rng, canvas):
    """Crosses, grids and boxes: marks on forms that are not digits (one or two strokes could be a 1 or a 7)."""
    for _ in range(rng.integers(3, 7)):
        a, b = rng.integers(5, CANVAS - 5, 2), rng.integers(5, CANVAS - 5, 2)
        cv2.line(canvas, tuple(int(v) for v in a), tuple(int(v) for v in b), 255, int(rng.integers(2, 8)))


def _digit_pair(rng, canvas, digits):
    """Two digits side by side, as when touching digits merge into one mark: neither answer is right."""
    a, b = digits[rng.integers(0, len(digits), 2)]
    pair = np.hstack([a, b[:, int(rng.integers(0, 6)):]])
    h = CANVAS * 28 // pair.shape[1]
    canvas[(CANVAS - h) // 2 : (CANVAS - h) // 2 + h] = cv2.resize(pair, (CANVAS, h), interpolation=cv2.INTER_LINEAR)


DRAWERS = (_letter, _letter, _scribble, _blob, _lines)


def make_outliers(count: int, seed: int, digits: np.ndarray | None = None) -> np.ndarray:
    """(count, 28, 28) uint8 non-digits, white on black, normalised like the edge reader's crops."""
    rng = np.random.default_rng(seed)
    out = np.zeros((count, 28, 28), np.uint8)
    for i in range(count):
        canvas = np.zeros((CANVAS, CANVAS), np.uint8)
        if digits is not None and rng.random() < 0.15:
            _digit_pair(rng, canvas, digits)
        else:
            DRAWERS[i % len(DRAWERS)](rng, canvas)
        out[i] = normalise(canvas.astype(np.float32) / 255.0)
        if rng.random() < CAMERA_SHARE:
            view = camera_view(out[i], rng)
            out[i] = out[i] if view is None else view
    return out
