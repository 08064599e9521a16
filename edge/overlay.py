"""Drawing readings on frames: pure functions, frame and reading in, new picture out."""

import cv2
import numpy as np

from edge.spec import SIDE

ACCEPTED = (40, 170, 40)  # BGR green: a digit read with confidence
UNSURE = (0, 140, 255)  # BGR orange: below --min-confidence, shown as "?"


def draw_reading(frame: np.ndarray, reading) -> np.ndarray:
    """(H, W) or (H, W, 3) uint8 + Reading -> (H, W, 3) BGR copy with boxes, digits and confidences."""
    out = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR) if frame.ndim == 2 else frame[:, :, :3].copy()
    scale = max(out.shape[:2]) / 640
    thick = max(1, round(2 * scale))
    for d in reading.digits:
        x, y, w, h = d.box
        colour = ACCEPTED if d.accepted else UNSURE
        cv2.rectangle(out, (x, y), (x + w, y + h), colour, thick)
        label = f"{d.digit if d.accepted else '?'} {d.confidence:.2f}"
        cv2.putText(out, label, (x, max(12, y - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.6 * scale, colour, thick)
    return out


def crops_strip(crops: np.ndarray, zoom: int = 4) -> np.ndarray:
    """(N, 28, 28) uint8 -> one (28*zoom, N*(28+2)*zoom) picture of the crops as the model saw them."""
    if len(crops) == 0:
        return np.zeros((SIDE * zoom, SIDE * zoom), np.uint8)
    tiles = [np.pad(c, ((0, 0), (0, 2)), constant_values=128) for c in crops]
    return cv2.resize(np.hstack(tiles), None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
