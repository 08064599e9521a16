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


def draw_live(frame: np.ndarray, reading, stable: str, fps: float) -> np.ndarray:
    """Camera frame + this frame's reading + the stable reading -> annotated BGR frame."""
    out = draw_reading(frame, reading)
    h, w = out.shape[:2]
    scale = max(h, w) / 640
    cv2.putText(out, f"{fps:5.1f} fps", (8, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * scale, (0, 0, 160),
                max(1, round(scale)))
    if stable:
        _banner(out, stable, 1.6 * scale)
    return out


def draw_kiosk(shape: tuple, stable: str) -> np.ndarray:
    """(H, W) -> a black screen with only the stable reading, large, or a hint when there is none."""
    h, w = shape[:2]
    out = np.zeros((h, w, 3), np.uint8)
    text, colour = (stable, (255, 255, 255)) if stable else ("show a number to the camera", (160, 160, 160))
    scale = 6.0 if stable else 1.2
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 8 if stable else 2)
    scale *= min(1.0, 0.9 * w / max(tw, 1))
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 8 if stable else 2)
    cv2.putText(out, text, ((w - tw) // 2, (h + th) // 2), cv2.FONT_HERSHEY_SIMPLEX, scale, colour,
                8 if stable else 2)
    return out


def _banner(out: np.ndarray, text: str, scale: float) -> None:
    """The stable reading in large type on a dark band at the top."""
    thick = max(2, round(2 * scale))
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    cv2.rectangle(out, (0, 0), (min(out.shape[1], tw + 24), th + 24), (0, 0, 0), -1)
    cv2.putText(out, text, (12, th + 12), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thick)
