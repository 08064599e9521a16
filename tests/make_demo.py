"""Make the bundled demo video: numbers written on paper, shown to a camera one after another.

    python -m tests.make_demo --data ../shared/data/mnist.npz   # writes samples/demo.mp4

Digits come from the MNIST *test* set; each number is held for a few seconds with hand
shake, light flicker and sensor noise, and the page is blank in between, so the stable
readings are known: 42, 1907, 365.
"""

import argparse
import os
from pathlib import Path

import cv2
import numpy as np

from tests import synth

NUMBERS = ("42", "1907", "365")  # what the demo shows, in order
SIZE = (480, 360)  # (W, H) frames
FPS = 15
HOLD_S, BLANK_S = 3.0, 1.2  # seconds each number is shown, and the blank page between


def _page(rng, text, digits_x, digits_y, size):
    """A page (float BGR) with ``text`` written on it in MNIST test digits."""
    W, H = size
    picks = [digits_x[rng.choice(np.flatnonzero(digits_y == int(c)))] for c in text]
    page = synth._lighting(rng, synth._paper(rng, H, W))
    if not text:
        return page
    alpha, _ = synth._row(rng, picks, (H, W), 0.28 * H, 0.3, margin=0.15)
    return synth._ink(page, alpha, synth.INKS["black"])


def _frame(rng, page, t):
    """One camera frame of ``page``: a little hand shake, flicker and noise."""
    H, W = page.shape[:2]
    shift = np.float32([[1, 0, 3 * np.sin(2.1 * t) + rng.normal(0, 0.6)], [0, 1, 2 * np.cos(1.7 * t)]])
    img = cv2.warpAffine(page, shift, (W, H), borderMode=cv2.BORDER_REFLECT) * rng.uniform(0.96, 1.04)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.6, 1.4 if rng.random() < 0.9 else 3.0))
    return np.clip(img + rng.normal(0, 1.5, img.shape), 0, 255).astype(np.uint8)


def make_video(out: Path, digits_x, digits_y, seed: int = 0) -> list:
    """Write the demo video; returns the numbers it shows."""
    rng = np.random.default_rng(seed)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    t = 0.0
    for text in ("",) + sum(((n, "") for n in NUMBERS), ()):
        page = _page(rng, text, digits_x, digits_y, SIZE)
        for _ in range(int((HOLD_S if text else BLANK_S) * FPS)):
            writer.write(_frame(rng, page, t))
            t += 1 / FPS
    writer.release()
    return list(NUMBERS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("samples/demo.mp4"))
    parser.add_argument("--data", default=os.environ.get("MNIST_NPZ"), help="mnist.npz (default: $MNIST_NPZ)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    x, y = synth.load_test_digits(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shown = make_video(args.out, x, y, args.seed)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB): {', '.join(shown)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
