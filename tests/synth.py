"""Camera-, scan- and paint-like images of handwritten numbers built from MNIST *test* digits, plus non-digits
and numbers typed in stroke fonts (shapes the MNIST digits do not have).

Why: the edge reader must cope with what a Pi camera or a paint program really produces (paper, uneven
light, tilt, blur, JPEG, tiny or huge digits, 1-px or brush strokes) and must find no digit in blank
pages, ruled lines, scribbles, letters and textures. Test digits only, so nothing the model trained on
leaks in. numpy + cv2 only, long-standing APIs (OpenCV 4.x and 5.x); every random choice comes from the
Generator passed in, so a seed always gives the same images.

    python -m tests.synth --out tests/golden --count 24 --non-digits 10 --seed 7 --data mnist.npz
"""

import argparse
import csv
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from train.data import load_mnist

NON_DIGIT_KINDS = ("blank", "ruled", "scribble", "letter", "texture")
# 12 photo, 3 scan, 5 paint in every 20, interleaved so any prefix of a set is a fair mix.
CYCLE = ("photo paint photo scan photo paint photo photo paint photo "
         "scan photo paint photo photo scan photo paint photo photo").split()
INKS = {"black": (35, 30, 30), "blue": (150, 60, 30), "pencil": (105, 100, 100)}  # BGR
FRAMES = [(480, 640), (640, 480), (960, 1280), (240, 320)]  # (H, W) of camera frames


@dataclass(frozen=True)
class Sample:
    image: np.ndarray  # (H, W) uint8 grey or (H, W, 3) uint8 BGR
    text: str  # digits left to right; "" for non-digit images
    boxes: list  # [(x, y, w, h)] of each digit's ink, same order as text (approximate after the tilt)
    kind: str  # photo, scan, paint, blank, ruled, scribble, letter, texture


def load_test_digits(path=None):
    """MNIST test images and labels only: the golden set must be digits the model never trained on."""
    test = load_mnist(path).test
    return test.x, test.y


def _thin(mask):
    """Zhang-Suen thinning to a 1-px skeleton, like a paint program's pencil (plain cv2 has no thinning)."""
    img = (mask > 0).astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for (a, b, c), (d, e, f) in (((0, 2, 4), (2, 4, 6)), ((0, 2, 6), (0, 4, 6))):  # SE, then NW boundary
            p = np.pad(img, 1)
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            count, trans = sum(n), sum((n[i] == 0) & (n[(i + 1) % 8] == 1) for i in range(8))
            side = (n[a] * n[b] * n[c] == 0) & (n[d] * n[e] * n[f] == 0)
            drop = (img == 1) & (count >= 2) & (count <= 6) & (trans == 1) & side
            if drop.any():
                img[drop], changed = 0, True
    return img.astype(np.float32)


def _digit_alpha(digit, height, angle=0.0, thick=0.0, style="soft"):
    """Ink coverage in [0, 1] of one digit `height` px tall. Upscaled and smoothed *before* rotating and
    thickening so strokes stay smooth; `thick` is the dilate (+) / erode (-) radius in MNIST pixels."""
    ys, xs = np.nonzero(digit > 40)
    crop = np.pad(digit[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 4 + int(max(thick, 0)))
    s = height / (ys.max() - ys.min() + 1)
    size = (max(3, round(crop.shape[1] * s)), max(3, round(crop.shape[0] * s)))
    a = cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    a = cv2.GaussianBlur(a, (0, 0), 0.5 * s)  # round off the 28-px staircase
    a = cv2.warpAffine(a, cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), angle, 1.0), size)
    r = round(abs(thick) * s)
    if r:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
        b = (cv2.dilate if thick > 0 else cv2.erode)(a, kernel)
        a = b if b.max() > 0.7 else a  # never erode a faint digit away
    if style == "soft":  # soft threshold: crisp but anti-aliased edges, like ink
        a = np.clip((a - 0.25) / 0.4, 0, 1)
    else:
        a = _thin(a > 0.5) if style == "thin" else (a > 0.5).astype(np.float32)
    ys, xs = np.nonzero(a > 0.05)
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _row(rng, digits, hw, height, thick, style="soft", tilt=6.0, margin=0.05):
    """Digits left to right, 0.1x-2x width gaps, baseline jitter, shrunk until the row fits inside
    `margin`; returns (alpha canvas, boxes). Disjoint x ranges mean digits never overlap."""
    n, (H, W) = len(digits), hw
    hs = height * rng.uniform(0.85, 1.15, n)
    angles, thicks = rng.uniform(-tilt, tilt, n), thick + rng.uniform(-0.2, 0.2, n)
    gapf = np.where(rng.random(n) < 0.2, rng.uniform(0.8, 2.0, n), rng.uniform(0.1, 0.6, n))[:-1]
    for _ in range(8):
        alphas = [_digit_alpha(d, max(h, 8), a, t, style) for d, h, a, t in zip(digits, hs, angles, thicks)]
        widths = np.array([a.shape[1] for a in alphas])
        gaps = np.maximum(2, gapf * widths.mean()).astype(int)
        total, tallest = widths.sum() + gaps.sum(), max(a.shape[0] for a in alphas)
        fit = min((1 - 2 * margin) * W / total, (1 - 2 * margin) * H / tallest)
        if fit >= 1:
            break
        hs *= fit * 0.97
    canvas, boxes = np.zeros((H, W), np.float32), []
    x = int(rng.uniform(margin * W, max(margin * W, (1 - margin) * W - total)))
    yc = rng.uniform(margin * H + tallest / 2, max(margin * H + tallest / 2, (1 - margin) * H - tallest / 2))
    for a, gap in zip(alphas, np.append(gaps, 0)):
        h, w = a.shape[0], min(a.shape[1], W - x)
        y = int(np.clip(yc - h / 2 + rng.normal(0, 0.04 * h), 0, H - h))
        canvas[y:y + h, x:x + w] = np.maximum(canvas[y:y + h, x:x + w], a[:, :w])
        ys, xs = np.nonzero(a[:, :w] > 0.3)
        boxes.append(tuple(int(v) for v in (x + xs.min(), y + ys.min(), np.ptp(xs) + 1, np.ptp(ys) + 1)))
        x += w + gap
    return canvas, boxes


def _noise_field(rng, H, W, cells):
    """Smooth random field, roughly in [-1, 1]: cubic-upscaled coarse noise (paper fibre, light, wood)."""
    small = rng.normal(0, 1, (max(2, int(H / W * cells)), max(2, cells))).astype(np.float32)
    return cv2.resize(small, (W, H), interpolation=cv2.INTER_CUBIC) / 1.5


def _paper(rng, H, W, dark=False):
    """Paper (off-white, warm: less blue than red) or a chalkboard (dark green), with faint fibre."""
    blue = rng.uniform(0.86, 0.98)
    level = rng.uniform(45, 75) if dark else rng.uniform(190, 240)
    base = level * np.array([1.0, 1.15, 0.85] if dark else [blue, (blue + 1) / 2, 1.0])
    tex = _noise_field(rng, H, W, 120) * rng.uniform(1, 3) + _noise_field(rng, H, W, 6) * rng.uniform(2, 6)
    return np.clip(np.float32(base) + tex[..., None], 0, 255)


def _ink(img, alpha, colour):
    """Composite ink over the background: pixel = bg * (1 - alpha) + ink * alpha."""
    return img * (1 - alpha[..., None]) + np.float32(colour) * alpha[..., None]


def _lighting(rng, img):
    """Uneven light: a brightness ramp and, often, a soft shadow band (a hand or the phone over the page)."""
    H, W = img.shape[:2]
    yy, xx = np.mgrid[0:1:H * 1j, 0:1:W * 1j].astype(np.float32)
    t1, t2 = rng.uniform(0, 2 * np.pi, 2)
    gain = 1 - rng.uniform(0.05, 0.3) * ((np.cos(t1) * xx + np.sin(t1) * yy) + 1.5) / 3
    if rng.random() < 0.7:
        d = np.cos(t2) * (xx - rng.uniform(0.1, 0.9)) + np.sin(t2) * (yy - rng.uniform(0.1, 0.9))
        gain *= 1 - rng.uniform(0.15, 0.4) * np.exp(-((d / rng.uniform(0.08, 0.3)) ** 2))
    return img * gain[..., None]


def _camera(rng, img, boxes, persp=0.06, blur=(0.4, 1.6), noise=(1, 4), quality=(50, 95), grey=0.25, table=0.5):
    """Camera artefacts: tilt, defocus, sensor noise (low: phones denoise), maybe grey, then JPEG; boxes
    follow. The tilt either shrinks the page so the table shows, or crops into it (content has a margin)."""
    H, W = img.shape[:2]
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    quad = (src + rng.uniform(0, persp, (4, 2)) * [W, H] * [[1, 1], [-1, 1], [-1, -1], [1, -1]]).astype(np.float32)
    m = cv2.getPerspectiveTransform(*((src, quad) if rng.random() < table else (quad, src)))
    desk = tuple(float(v) for v in rng.uniform(30, 110) * np.array([0.8, 0.9, 1.0]))
    img = cv2.warpPerspective(img, m, (W, H), flags=cv2.INTER_LINEAR, borderValue=desk)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*blur) * max(H, W) / 640)
    img = np.clip(img + rng.normal(0, rng.uniform(*noise), img.shape), 0, 255).astype(np.uint8)
    if rng.random() < grey:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return _jpeg(img, int(rng.integers(quality[0], quality[1] + 1))), _warp_boxes(m, boxes, W, H)


def _warp_boxes(m, boxes, W, H):
    """Bounding rectangles of the boxes' corners after the homography, clipped to the frame."""
    corners = np.float32([[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in boxes]).reshape(-1, 1, 2)
    pts = cv2.perspectiveTransform(corners, m).reshape(-1, 4, 2) if boxes else np.zeros((0, 4, 2))
    lo, hi = np.clip(np.floor(pts.min(1)), 0, [W - 1, H - 1]), np.clip(np.ceil(pts.max(1)), 0, [W, H])
    return [(int(x0), int(y0), int(max(1, x1 - x0)), int(max(1, y1 - y0))) for (x0, y0), (x1, y1) in zip(lo, hi)]


def _pen(rng):
    """The ink a number on paper is written in: black half the time, blue, or pencil."""
    return INKS[rng.choice(list(INKS), p=[0.5, 0.3, 0.2])]


def _jpeg(img, quality):
    """Round-trip through JPEG, as a camera or a paint program's 'save as' does."""
    return cv2.imdecode(cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])[1], cv2.IMREAD_UNCHANGED)


def _pick(rng, digits_x, digits_y, n):
    idx = rng.integers(0, len(digits_x), n)
    return list(digits_x[idx]), "".join(str(int(v)) for v in digits_y[idx])


def photo_sample(rng, digits_x, digits_y, n_digits=None, pencil=None) -> Sample:
    """A phone photo of a number on paper (or ~15% chalk on a board): 1-10 digits, tiny to huge.
    ``pencil``: a grey level that every ink but chalk is drawn in, grainy, instead (the usual
    pencil is 105; 150 is light); the rest of the photo is as without it."""
    H, W = FRAMES[rng.choice(4, p=[0.55, 0.15, 0.15, 0.15])]
    digits, text = _pick(rng, digits_x, digits_y, n_digits or int(rng.integers(1, 11)))
    chalk = rng.random() < 0.15
    ink = rng.uniform(205, 240, 3) if chalk else _pen(rng)
    if pencil is not None and not chalk:
        ink = (pencil,) * 3
    height = max(12, H * np.exp(rng.uniform(np.log(0.04), np.log(0.6))))  # below 12 px nobody can read it
    alpha, boxes = _row(rng, digits, (H, W), height, rng.uniform(-0.3, 0.7) + 0.3 * chalk, margin=0.08)
    if chalk or pencil is not None or tuple(ink) == INKS["pencil"]:  # grainy, incomplete coverage
        alpha *= np.clip(0.85 + 0.2 * _noise_field(rng, H, W, W // 4), 0.5, 1)
    img = _lighting(rng, _ink(_paper(rng, H, W, dark=chalk), alpha, ink))
    img, boxes = _camera(rng, img, boxes)
    return Sample(img, text, boxes, "photo")


def marker_sample(rng, digits_x, digits_y) -> Sample:
    """A number of 1-3 digits written big in a thick marker (strokes 2-4 times MNIST's) and held
    up to the camera: 50-90% of the frame tall, under the photos' light and camera."""
    H, W = FRAMES[rng.choice(4, p=[0.55, 0.15, 0.15, 0.15])]
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 4)))
    ink = _pen(rng)
    alpha, boxes = _row(rng, digits, (H, W), H * rng.uniform(0.5, 0.9), rng.uniform(0.8, 2.2), margin=0.04)
    img, boxes = _camera(rng, _lighting(rng, _ink(_paper(rng, H, W), alpha, ink)), boxes)
    return Sample(img, text, boxes, "photo")


def shadow_sample(rng, digits_x, digits_y, depth, over=True) -> Sample:
    """A 640x480 photo of a number of 2-5 digits with a broad shadow that takes ``depth`` of the
    light (a phone or a hand under a lamp): an ellipse a third to two thirds of the frame wide,
    its edge fading over 15-40 px, over the number or beside it."""
    H, W = 480, 640
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(2, 6)))
    alpha, boxes = _row(rng, digits, (H, W), H * rng.uniform(0.08, 0.2), rng.uniform(-0.2, 0.5))
    img = _ink(_paper(rng, H, W), alpha, INKS["black" if rng.random() < 0.5 else "blue"])
    cx, cy = np.mean([(x + w / 2, y + h / 2) for x, y, w, h in boxes], axis=0)
    turn = rng.uniform(0, 2 * np.pi)
    ex, ey = (cx, cy) if over else (cx + np.cos(turn) * W * 0.45, cy + np.sin(turn) * H * 0.55)
    rx, ry = W * rng.uniform(0.2, 0.35), H * rng.uniform(0.25, 0.4)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    inside = 1 - np.sqrt(((xx - ex) / rx) ** 2 + ((yy - ey) / ry) ** 2)  # 0 on the ellipse, 1 at its centre
    shade = 1 - depth * np.clip(inside * min(rx, ry) / rng.uniform(15, 40) + 0.5, 0, 1)
    img, boxes = _camera(rng, img * shade[..., None], boxes)
    return Sample(img, text, boxes, "photo")


def desk_sample(rng, digits_x, digits_y) -> Sample:
    """A 640x480 photo of a page on a dark desk, taken from further off or at a slant: the page
    covers about half the frame (its corners drawn in up to a fifth), a number of 1-6 digits on it."""
    H, W = 480, 640
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 7)))
    alpha, boxes = _row(rng, digits, (H, W), H * rng.uniform(0.06, 0.2), rng.uniform(-0.2, 0.5), margin=0.25)
    ink = _pen(rng)
    img, boxes = _camera(rng, _lighting(rng, _ink(_paper(rng, H, W), alpha, ink)), boxes, persp=0.2, table=1.0)
    return Sample(img, text, boxes, "photo")


def grid_sample(rng, digits_x, digits_y) -> Sample:
    """A 640x480 photo of a number of 1-6 digits on squared paper (a school exercise book): cells
    18-34 px, the digits 1-2.2 cells tall, the grid light blue or grey, 1-2 px, 0.4-0.9 strong."""
    H, W = 480, 640
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 7)))
    cell = rng.uniform(18, 34)
    alpha, boxes = _row(rng, digits, (H, W), cell * rng.uniform(1.0, 2.2), rng.uniform(-0.2, 0.5))
    grid = np.zeros((H, W), np.float32)
    (ox, oy), width = rng.uniform(0, cell, 2), int(rng.integers(1, 3))
    for gx in np.arange(ox, W, cell):
        cv2.line(grid, (int(gx), 0), (int(gx), H), 1.0, width, cv2.LINE_AA)
    for gy in np.arange(oy, H, cell):
        cv2.line(grid, (0, int(gy)), (W, int(gy)), 1.0, width, cv2.LINE_AA)
    colour = (215, 180, 150) if rng.random() < 0.6 else (160, 160, 160)  # light blue (BGR) or grey
    page = _ink(_ink(_paper(rng, H, W), grid * rng.uniform(0.4, 0.9), colour), alpha, _pen(rng))
    img, boxes = _camera(rng, _lighting(rng, page), boxes)
    return Sample(img, text, boxes, "photo")


def notebook_sample(rng, digits_x, digits_y) -> Sample:
    """A 640x480 photo of a number of 1-6 digits written on a ruled notebook page, sitting on a
    line: lines 1-1.4 digit heights apart, light blue or grey, 1-2 px, 0.4-0.9 strong; a red margin
    line on most pages. Most photos show the desk around the page, and the lines run into it."""
    H, W = 480, 640
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 7)))
    height = rng.uniform(25, 70)
    alpha, boxes = _row(rng, digits, (H, W), height, rng.uniform(-0.2, 0.5), margin=0.15)
    lines, gap = np.zeros((H, W), np.float32), height * rng.uniform(1.0, 1.4)
    width = int(rng.integers(1, 3))
    for gy in np.arange(max(y + h for _, y, _, h in boxes) % gap, H, gap):  # one under the digits
        cv2.line(lines, (0, int(gy)), (W, int(gy)), 1.0, width, cv2.LINE_AA)
    colour = (215, 180, 150) if rng.random() < 0.7 else (160, 160, 160)  # light blue (BGR) or grey
    page = _ink(_paper(rng, H, W), lines * rng.uniform(0.4, 0.9), colour)
    if rng.random() < 0.7:
        margin, mx = np.zeros((H, W), np.float32), int(rng.uniform(0.04, 0.12) * W)
        cv2.line(margin, (mx, 0), (mx, H), 1.0, 2, cv2.LINE_AA)
        page = _ink(page, margin * rng.uniform(0.5, 0.9), (120, 120, 230))  # red
    img, boxes = _camera(rng, _lighting(rng, _ink(page, alpha, _pen(rng))), boxes, table=0.8)
    return Sample(img, text, boxes, "photo")


FORM_LABELS = ("Amount:", "Total", "No.", "Room", "Date:", "Age", "Qty", "Code:", "Phone", "Zip", "ID", "Score",
               "Class", "Seat")


def form_sample(rng, digits_x, digits_y) -> Sample:
    """A scanned form's field: a number of 1-6 digits written beside (kind "beside"), beside and on
    the field's line ("field") or under ("above") a printed label ("Total", "Age:") whose capitals
    are 0.3-0.65 of the digits' height, 0.4-1.2 digit heights away."""
    H, W = 600, 850
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 7)))
    height = H * rng.uniform(0.06, 0.13)
    kind = ("beside", "beside", "above", "field")[int(rng.integers(4))]
    label = FORM_LABELS[int(rng.integers(len(FORM_LABELS)))]
    face = FONTS[("simplex", "duplex", "complex")[int(rng.integers(3))]]
    scale = height * rng.uniform(0.3, 0.65) / 22  # a Hershey capital is 22 px tall at scale 1
    thick = max(1, round(scale * rng.uniform(1.0, 2.0)))
    (tw, th), _ = cv2.getTextSize(label, face, scale, thick)
    gap, left, top = rng.uniform(0.4, 1.2) * height, 20, 20
    if kind == "above":
        top += int(th + gap)
    else:
        left += int(tw + gap)
    row, boxes = _row(rng, digits, (H - top, W - left), height, rng.uniform(-0.2, 0.5), tilt=4, margin=0.05)
    alpha = np.zeros((H, W), np.float32)
    alpha[top:, left:] = row
    boxes = [(x + left, y + top, w, h) for x, y, w, h in boxes]
    x0, x1 = min(b[0] for b in boxes), max(b[0] + b[2] for b in boxes)
    y0, y1 = min(b[1] for b in boxes), max(b[1] + b[3] for b in boxes)
    printed = np.zeros((H, W), np.uint8)
    at = (x0, int(y0 - gap)) if kind == "above" else (int(x0 - gap - tw), int(y1 - rng.uniform(0, 0.1) * height))
    cv2.putText(printed, label, at, face, scale, 255, thick, cv2.LINE_AA)
    if kind == "field":
        y = int(y1 + rng.uniform(0.1, 0.3) * height)
        ends = (int(x0 - 0.3 * height), y), (int(x1 + 0.5 * height), y)
        cv2.line(printed, *ends, 255, max(1, thick // 2), cv2.LINE_AA)
    alpha = np.maximum(alpha, printed.astype(np.float32) / 255)
    paper = np.full((H, W, 3), rng.uniform(236, 252), np.float32) + _noise_field(rng, H, W, 60)[..., None] * 2
    img = _ink(paper, alpha, INKS["black" if rng.random() < 0.6 else "blue"])
    img, boxes = _camera(rng, img, boxes, 0.005, (0.2, 0.6), (0.5, 2.0), (80, 95), grey=0.5, table=0)
    return Sample(img, text, boxes, kind)


def shaken(rng, sample, most=8) -> Sample:
    """The photo blurred along a line 3 to ``most`` px long (per 640 px of its width) at any angle:
    the hand moved while the shutter was open."""
    n = max(2, round(rng.uniform(3, most) * sample.image.shape[1] / 640))
    kernel = np.zeros((n, n), np.float32)
    kernel[n // 2] = 1
    turn = cv2.getRotationMatrix2D(((n - 1) / 2, (n - 1) / 2), rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, turn, (n, n))
    return Sample(cv2.filter2D(sample.image, -1, kernel / kernel.sum()), sample.text, sample.boxes, sample.kind)


def turned_away(rng, sample, most=0.3) -> Sample:
    """The photo as if the page were turned away from the camera about its horizontal or vertical
    axis: the far side (the top or the left) shrunk by twice t, t from ``most`` / 2 to ``most``
    (0.3: the far side 0.4-0.7 the size of the near one)."""
    H, W = sample.image.shape[:2]
    t = rng.uniform(most / 2, most)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    top, left = [[t * W, 0], [W - t * W, 0], [W, H], [0, H]], [[0, t * H], [W, 0], [W, H], [0, H - t * H]]
    far = top if rng.random() < 0.5 else left
    m = cv2.getPerspectiveTransform(src, np.float32(far))
    image = cv2.warpPerspective(sample.image, m, (W, H), borderMode=cv2.BORDER_REPLICATE)
    return Sample(image, sample.text, _warp_boxes(m, sample.boxes, W, H), sample.kind)


def pencil_page(rng, digits, ink=150, paper=200, height=90) -> np.ndarray:
    """(480, 640) uint8 grey photo of (28, 28) digits written side by side in light, grainy
    pencil: the graphite covers 55-100% of a stroke in patches, so that at the ink floor a
    stroke breaks into specks. ``ink`` 150 on ``paper`` 200 is a quarter darker."""
    page = np.full((480, 640), paper, np.float32)
    pitch = min(height + 15, 600 // max(len(digits), 1))
    for k, digit in enumerate(digits):
        big = cv2.resize(digit, (height, height), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
        cells = height // 4
        grain = cv2.resize(rng.uniform(0.55, 1.0, (cells, cells)).astype(np.float32), (height, height),
                           interpolation=cv2.INTER_CUBIC)
        alpha = np.clip(big, 0, 1) * grain
        window = page[190 : 190 + height, 60 + pitch * k : 60 + pitch * k + height]
        window[:] = window * (1 - alpha) + ink * alpha
    page = cv2.GaussianBlur(page, (0, 0), 1.0) + rng.normal(0, 2, page.shape)
    return np.clip(page, 0, 255).astype(np.uint8)


def scan_sample(rng, digits_x, digits_y) -> Sample:
    """A flatbed scan: white paper, even light, black or blue ink, one row, little blur or noise."""
    H, W = (850, 600) if rng.random() < 0.5 else (600, 850)
    digits, text = _pick(rng, digits_x, digits_y, int(rng.integers(1, 9)))
    paper = np.full((H, W, 3), rng.uniform(236, 252), np.float32) + _noise_field(rng, H, W, 60)[..., None] * 2
    alpha, boxes = _row(rng, digits, (H, W), H * rng.uniform(0.05, 0.25), rng.uniform(-0.2, 0.5), tilt=4)
    img = _ink(paper, alpha, INKS["black" if rng.random() < 0.6 else "blue"])
    img, boxes = _camera(rng, img, boxes, 0.005, (0.2, 0.6), (0.5, 2.0), (80, 95), grey=0.5, table=0)
    return Sample(img, text, boxes, "scan")


def paint_sample(rng, digits_x, digits_y) -> Sample:
    """A paint-program drawing: pure white on black (the original notebook) or black on white; 1-px
    pencil, plain or thick brush strokes; half are one digit filling 80-95% of a square canvas."""
    single = rng.random() < 0.5
    H, W = [int(rng.choice([280, 400, 500]))] * 2 if single else rng.integers([200, 500], [401, 901]).tolist()
    digits, text = _pick(rng, digits_x, digits_y, 1 if single else int(rng.integers(2, 7)))
    style = rng.choice(["thin", "hard", "brush"], p=[0.3, 0.3, 0.4])
    thick = rng.uniform(0.6, 1.8) if style == "brush" else 0.0
    height = H * (rng.uniform(0.8, 0.95) if single else rng.uniform(0.3, 0.6))
    alpha, boxes = _row(rng, digits, (H, W), height, thick, "thin" if style == "thin" else "hard", 3, 0.02)
    fg, bg = (255, 0) if rng.random() < 0.65 else (0, 255)
    img = (bg + (fg - bg) * alpha).astype(np.uint8)
    img = cv2.merge([img] * 3) if rng.random() < 0.5 else img
    return Sample(_jpeg(img, int(rng.integers(75, 96))) if rng.random() < 0.7 else img, text, boxes, "paint")


FONTS = {"script": cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, "simplex": cv2.FONT_HERSHEY_SIMPLEX,
         "plain": cv2.FONT_HERSHEY_PLAIN, "duplex": cv2.FONT_HERSHEY_DUPLEX, "complex": cv2.FONT_HERSHEY_COMPLEX}


def typed_sample(rng, font) -> Sample:
    """A number of 1-10 digits in one of OpenCV's Hershey ``FONTS`` (stroke fonts, some bold and
    crowded), photographed like ``photo_sample``: shapes no MNIST writer drew, a check that the
    reader does not only work on the digits its model and this generator share."""
    H, W = FRAMES[rng.choice(4, p=[0.55, 0.15, 0.15, 0.15])]
    text = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(1, 11))))
    face = FONTS[font]
    (tw, unit), _ = cv2.getTextSize(text, face, 1.0, 1)
    scale, weight = min(W * 0.8 / tw, H * rng.uniform(0.04, 0.3) / unit), rng.uniform(0.04, 0.15)
    while True:  # thick strokes widen the text
        thick = max(1, round(unit * scale * weight))  # a fine pen ... a marker, for the digits' height
        (tw, th), _ = cv2.getTextSize(text, face, scale, thick)
        if tw <= 0.8 * W:
            break
        scale *= 0.9
    x = int(rng.uniform(0.05 * W, max(0.05 * W + 1, 0.95 * W - tw)))  # a margin, as on a page
    y = int(rng.uniform(0.08 * H + th, max(0.08 * H + th + 1, 0.92 * H - th / 3)))  # th / 3: room below the baseline
    mask = np.zeros((H, W), np.uint8)
    cv2.putText(mask, text, (x, y), face, scale, 255, thick, cv2.LINE_AA)
    img = _lighting(rng, _ink(_paper(rng, H, W), mask.astype(np.float32) / 255, INKS[rng.choice(list(INKS))]))
    starts = [x + cv2.getTextSize(text[:k], face, scale, thick)[0][0] if k else x for k in range(len(text) + 1)]
    img, boxes = _camera(rng, img, [(a, y - th, b - a, th) for a, b in zip(starts, starts[1:])])  # one per digit
    return Sample(img, text, boxes, font)


def _non_digit_mask(rng, kind, H, W):
    """Ink alpha of a non-digit: ruled lines (+ margin), a wavy random-walk scribble, or big letters."""
    mask = np.zeros((H, W), np.uint8)
    if kind == "ruled":
        for y in range(int(rng.integers(10, 60)), H, int(rng.integers(22, 45))):
            cv2.line(mask, (0, y), (W, y), 140, int(rng.integers(1, 3)), cv2.LINE_AA)
        if rng.random() < 0.6:
            x = int(W * rng.uniform(0.08, 0.2))
            cv2.line(mask, (x, 0), (x, H), 200, 2, cv2.LINE_AA)
    elif kind == "scribble":
        turn = np.cumsum(rng.normal(0, 0.35, 300))
        pts = np.cumsum(np.stack([np.cos(turn), np.sin(turn)], 1), 0)
        pts = (pts - pts.min(0)) / np.ptp(pts, 0).clip(1) * [W * rng.uniform(0.5, 0.9), H * rng.uniform(0.4, 0.8)]
        pts = (pts + [W * 0.05, H * 0.1]).astype(np.int32)
        cv2.polylines(mask, [pts], False, 255, int(rng.integers(6, 22) * W / 640) + 1, cv2.LINE_AA)
    elif kind == "letter":
        text = "".join(rng.choice(list("AXWMKRQBEG#&@%"), int(rng.integers(1, 4))))
        font = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
        (tw, th), _ = cv2.getTextSize(text, font, 1.0, 2)
        scale = min(W * 0.7 / tw, H * 0.5 / th) * rng.uniform(0.6, 1.0)
        org = (int((W - tw * scale) / 2), int((H + th * scale) / 2))
        cv2.putText(mask, text, org, font, scale, 255, max(2, int(scale * 2)), cv2.LINE_AA)
    return mask.astype(np.float32) / 255


def non_digit_sample(rng, kind) -> Sample:
    """An image with no digit, through the same light and camera as photos so only the content differs."""
    H, W = FRAMES[rng.choice(4, p=[0.55, 0.15, 0.1, 0.2])]
    if kind == "texture":  # wood/fabric-like: smoothed noise at several scales plus a stretched grain
        field = sum(_noise_field(rng, H, W, c) * k for c, k in ((4, 30), (20, 15), (90, 8)))
        grain = cv2.resize(_noise_field(rng, H, 40, 200), (W, H), interpolation=cv2.INTER_CUBIC) * 12
        img = rng.uniform(60, 200, 3).astype(np.float32) + (field + grain)[..., None]
    elif kind == "blank" and rng.random() < 0.3:  # an empty paint canvas
        return Sample(_jpeg(np.full((H, W), 0 if rng.random() < 0.6 else 255, np.uint8), 90), "", [], kind)
    else:
        colour = (190, 140, 100) if kind == "ruled" else INKS[rng.choice(list(INKS))]
        img = _ink(_paper(rng, H, W), _non_digit_mask(rng, kind, H, W), colour)
    return Sample(_camera(rng, _lighting(rng, img), [])[0], "", [], kind)


WORDS = ("the of and to in is you that it was for on are as with they at be this have from or had by word but "
         "not what all were we when your can said there use each which she how their will other about out many then "
         "them some her would make like him into time has look more write see way could people than first water "
         "been call who its now find long down day did get come made may part Name Date Total Hello World Please "
         "Sign here Address Invoice Kitchen Garden Office Welcome Open Closed Exit Stop Menu Coffee Tea").split()


def words_sample(rng) -> Sample:
    """A non-digit photo of 1-5 lines of common words printed in a Hershey font: a page of text,
    whose o, l, s and g look like digits one by one."""
    H, W = 480, 640
    page = np.zeros((H, W), np.uint8)
    lines = int(rng.integers(1, 6))
    face = list(FONTS.values())[int(rng.integers(len(FONTS)))]
    scale = rng.uniform(0.8, 2.5) if lines <= 2 else rng.uniform(0.6, 1.4)
    y = int(40 + 30 * scale)
    for _ in range(lines):
        text = " ".join(rng.choice(WORDS, int(rng.integers(1, 4))))
        cv2.putText(page, text, (int(rng.integers(10, 120)), y), face, scale, 255, int(rng.integers(1, 4)), cv2.LINE_AA)
        y += int(35 * scale + 25)
        if y > H - 20:
            break
    img = _ink(_paper(rng, H, W), page.astype(np.float32) / 255, _pen(rng))
    return Sample(_camera(rng, _lighting(rng, img), [])[0], "", [], "words")


def make_word_pages(seed, count) -> list:
    """``count`` pages of words (``words_sample``), page i depending only on (seed, i)."""
    return [words_sample(np.random.default_rng([seed, 10**6 + i])) for i in range(count)]


def make_set(seed, count, digits_x, digits_y) -> list:
    """~60% photo, ~15% scan, ~25% paint; sample i depends only on (seed, i), so sets of any size nest."""
    makers = {"photo": photo_sample, "scan": scan_sample, "paint": paint_sample}
    return [makers[CYCLE[i % 20]](np.random.default_rng([seed, i]), digits_x, digits_y) for i in range(count)]


def make_non_digits(seed, count) -> list:
    """Cycles through the five non-digit kinds, seeded apart from make_set's samples."""
    return [non_digit_sample(np.random.default_rng([seed, 10**6 + i]), NON_DIGIT_KINDS[i % 5]) for i in range(count)]


def shrink(sample, max_width):
    """Scale a camera-like image and its boxes down to `max_width` px, so the golden set stays small on disk.
    Paint drawings stay as drawn: they are tiny as PNG, and shrinking would fade their 1-px strokes."""
    h, w = sample.image.shape[:2]
    if w <= max_width or sample.kind == "paint":
        return sample
    f = max_width / w
    img = cv2.resize(sample.image, (max_width, round(h * f)), interpolation=cv2.INTER_AREA)
    boxes = [(int(x * f), int(y * f), max(1, round(bw * f)), max(1, round(bh * f))) for x, y, bw, bh in sample.boxes]
    return dataclasses.replace(sample, image=img, boxes=boxes)


def write_golden(out, samples, max_width, prefix=None):
    """Lossless PNGs (the JPEG-damaged pixels stay exact whatever libjpeg decodes them); returns csv rows."""
    rows, counters = [], {}
    for s in samples:
        stem = prefix or s.kind
        name = f"{stem}_{counters.setdefault(stem, 0):03d}.png"
        counters[stem] += 1
        (out / name).write_bytes(cv2.imencode(".png", shrink(s, max_width).image, [cv2.IMWRITE_PNG_COMPRESSION, 9])[1])
        rows.append((name, s.text, s.kind))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description="Regenerate the synthetic golden images and their labels.csv.")
    ap.add_argument("--out", type=Path, default=Path("tests/golden"))
    ap.add_argument("--count", type=int, default=24, help="digit images")
    ap.add_argument("--non-digits", type=int, default=0, help="images without digits (nodigit_NNN.png)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-width", type=int, default=384, help="scale wider images down (384: golden set ~1.4 MB)")
    ap.add_argument("--data", default=os.environ.get("MNIST_NPZ"), help="mnist.npz (default: $MNIST_NPZ)")
    args = ap.parse_args(argv)
    if not args.data:
        ap.error("no MNIST: pass --data path/to/mnist.npz or set MNIST_NPZ")
    x, y = load_test_digits(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = write_golden(args.out, make_set(args.seed, args.count, x, y), args.max_width)
    rows += write_golden(args.out, make_non_digits(args.seed, args.non_digits), args.max_width, "nodigit")
    with open(args.out / "labels.csv", "w", newline="") as f:
        csv.writer(f).writerows([("file", "text", "kind"), *rows])
    print(f"wrote {len(rows)} images and labels.csv to {args.out}")


if __name__ == "__main__":
    main()
