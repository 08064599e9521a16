"""Training digits as the edge reader sees them: drawn at camera size, blurred, noisy and
JPEG-compressed, then found and normalised by the edge's own code.

    python -m train.camera --out artifacts/camera.png   # a sheet of examples to look at

MNIST was made from clean scans; a digit 15 px tall in a blurred JPEG frame, thresholded
and scaled back up by the edge, has harder edges, evened-out strokes and upscaling steps
that the model never saw. Training on such views too (the ``camera`` share of each batch)
closes that gap without changing the model. Only the training split is drawn from, so
validation and test digits stay unseen.
"""

import argparse
from pathlib import Path

import cv2
import numpy as np

from edge.cli import HelpFormatter
from edge.ink import ink_map
from edge.marks import find_marks
from edge.normalise import normalise

HEIGHT_PX = (12, 120)  # digit height in the frame, log-uniform: from barely readable to large
BLUR_PX = (0.3, 1.3)  # defocus, Gaussian sigma in frame pixels
NOISE = (1.0, 6.0)  # sensor noise, grey levels
CONTRAST = (0.3, 0.85)  # how much darker the ink is than the paper
JPEG_QUALITY = (40, 95)


def camera_view(digit: np.ndarray, rng: np.random.Generator):
    """(28, 28) uint8 MNIST digit -> (28, 28) uint8 as the edge would feed it to the model, or None
    when the edge finds no mark (a digit drawn too faint or too small to survive)."""
    height = np.exp(rng.uniform(*np.log(HEIGHT_PX)))
    scale = height / 20  # MNIST digits are 20 px tall in their 28x28 box
    side = max(8, round(28 * scale))
    alpha = np.clip(cv2.resize(digit, (side, side), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255, 0, 1)
    radius = rng.uniform(-0.25, 0.6) * scale  # thin pen ... thick marker
    if abs(radius) >= 0.5:
        k = 2 * round(abs(radius)) + 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
        changed = (cv2.dilate if radius > 0 else cv2.erode)(alpha, kernel)
        alpha = changed if changed.max() > 0.7 else alpha
    if rng.random() < 0.2:  # a paint program: hard edges, no camera
        alpha = (alpha > 0.5).astype(np.float32)
    pad = side // 2
    alpha = np.pad(alpha, pad)
    paper = rng.uniform(120, 245)
    img = paper * (1 - rng.uniform(*CONTRAST) * alpha)
    img = cv2.GaussianBlur(img, (0, 0), min(rng.uniform(*BLUR_PX), height / 14))  # past that: a blob
    img = np.clip(img + rng.normal(0, rng.uniform(*NOISE), img.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        quality = int(rng.integers(*JPEG_QUALITY))
        img = cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])[1], cv2.IMREAD_GRAYSCALE)
    marks = find_marks(*ink_map(img, "dark"))
    if not marks:
        return None
    biggest = max(marks, key=lambda m: m.box[2] * m.box[3])
    return normalise(biggest.ink)


def make_camera_bank(count: int, seed: int, x: np.ndarray, y: np.ndarray) -> tuple:
    """(count, 28, 28) uint8 camera views of random training digits and their (count,) labels."""
    rng = np.random.default_rng([seed, 7])
    views, labels = [], []
    while len(views) < count:
        i = int(rng.integers(len(x)))
        view = camera_view(x[i], rng)
        if view is not None:
            views.append(view)
            labels.append(y[i])
    return np.stack(views), np.asarray(labels, np.int64)


def main(argv=None) -> int:
    return sheet_cli("python -m train.camera", "camera views of MNIST training digits", make_camera_bank,
                     Path("artifacts/camera.png"), argv)


def sheet_cli(prog: str, what: str, make_bank, out: Path, argv=None) -> int:
    """A training bank's command line: draw a sheet of 160 of its images to look at."""
    from train.data import load_mnist

    parser = argparse.ArgumentParser(prog=prog, formatter_class=HelpFormatter,
                                     description=f"Draw a sheet of 160 {what}, as training sees them.")
    parser.add_argument("--out", type=Path, default=out, help="PNG to write")
    parser.add_argument("--data", default=None, help="mnist.npz; default: $MNIST_NPZ, else the Keras download")
    parser.add_argument("--seed", type=int, default=0, help="the training run's seed (the same images it drew)")
    args = parser.parse_args(argv)
    train = load_mnist(args.data).train
    views, _ = make_bank(160, args.seed, train.x, train.y)
    sheet = np.vstack([np.hstack(list(row)) for row in views.reshape(8, 20, 28, 28)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(args.out), cv2.resize(sheet, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
