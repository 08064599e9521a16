"""Frame -> digit crops: greyscale, binarise, find candidate marks, normalise each like MNIST.

    python -m edge read photo.jpg --debug-dir artifacts/debug   # shows every step's result

Pure functions, arrays in and arrays out: no files, cameras or windows here. Sizes
are fractions of the frame or of the tallest mark, so the same rules hold for a
digit 12 px tall in a 640x480 frame and one that fills a 2000 px canvas.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from edge.spec import BOX, SIDE

BACKGROUND_SCALE = 16  # the paper's brightness is estimated on a frame this many times smaller
PAPER_KERNEL = 4  # the paper estimate ignores dark marks narrower than 1/PAPER_KERNEL of the frame
POLARITY_QUANTILES = (0.001, 0.5, 0.999)  # the darkest pixels, the background, the lightest
DIM_PAPER_TAIL = 40  # grey levels: on dim paper the darkest pixels (ink) lie at least this far below the paper...
DARK_TAIL_RATIO = 1.5  # ...and further below it than the lightest pixels lie above it
MIN_CONTRAST = 0.14  # ink is at least this much darker than the paper around it (fraction)
SURROUND_BORDER = 0.1  # past this share of the frame's border in ink, a table or floor shows around the page
SHADOW_FADE_PX = 16  # a mark whose edge fades over more pixels than this...
SHADOW_FADE = 0.015  # ...and over more than this fraction of the frame is a shadow, not ink
MIN_INK = 0.25  # a written stroke darkens the paper by at least this much where solid; fainter marks are
# grain, stains or texture (measured: digits' strokes 0.31 and up, 99.5% of them; texture blobs 0.2 and under)
FAINT_SHARE = 0.6  # beside writing that passes MIN_INK, a fainter stroke of the same hand (a lighter
# pencil line, a digit in a shadow) is kept down to this share of the writing's median darkness
MIN_MARK_PX = 8  # pixels; a mark shorter than this cannot be read
MIN_MARK_AREA = 3e-5  # of the frame; smaller ink specks are noise
MIN_HEIGHT_OF_TALLEST = 0.35  # marks shorter than this fraction of the tallest are specks or text
MAX_LINE_ASPECT = 6.0  # wider than this many heights: a ruled line or underline, not a digit
MAX_FILL = 0.9  # a roundish mark whose ink fills more of its box than this is a blob, not a stroke
FRAME_EDGE_COVER = 0.3  # a mark covering more of a side of the frame than this is an edge, not writing
MAX_PIECES = 200  # only the largest ink pieces are considered; a number has far fewer (bounds the time)
BOX_BAND = 0.12  # a drawn box's ink lies within this fraction of its size from its edges...
BOX_ON_EDGE = 0.9  # ...for at least this fraction of its ink
BOX_FILL = 0.5  # a box is hollow: its ink covers less than this fraction of its bounding box
SPLIT_ASPECT = 1.2  # a mark wider than this many heights may be two touching digits
MERGE_GAP = 0.2  # a small piece this close (in heights of the digit) to a digit belongs to it
# MNIST stroke width as a fraction of the digit's longer side, measured on its test set
# (ink > 127): median 0.113, 2nd percentile 0.067, 98th 0.197.
TARGET_STROKE = 0.113
STROKE_RANGE = (0.067, 0.197)  # strokes inside this range are left as written


@dataclass(frozen=True)
class Mark:
    """One candidate digit: its box in the frame and its ink inside that box."""

    box: tuple  # (x, y, w, h) in frame pixels
    ink: np.ndarray  # (h, w) float32 ink strength in [0, 1] of this mark only


def to_grey(frame: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 1), (H, W, 3) BGR or (H, W, 4) BGRA uint8 -> (H, W) uint8 grey."""
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 1:
        return frame[:, :, 0]
    if frame.ndim == 2:
        return frame
    raise ValueError(f"expected a (H, W) grey or (H, W, 3) colour image, got shape {frame.shape}")


def ink_is_light(grey: np.ndarray) -> bool:
    """True for light ink on a dark ground (chalk, a Paint drawing), False for ink on paper.

    The background is the majority, so a dark median suggests light ink; but paper in
    dim light is dark too. There the ink shows as a long dark tail below the median,
    which light ink on a board or canvas does not have.
    """
    counts = cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel().cumsum()
    low, median, high = (int(np.searchsorted(counts, q * counts[-1])) for q in POLARITY_QUANTILES)
    if median >= 128:
        return False
    dark_tail, light_tail = median - low, high - median
    return not (dark_tail >= DIM_PAPER_TAIL and dark_tail > DARK_TAIL_RATIO * light_tail)


def ink_map(grey: np.ndarray, polarity: str = "auto") -> tuple:
    """(H, W) uint8 -> ((H, W) float32 darkness in [0, 1] against the paper, (H, W) bool ink mask).

    The paper's brightness is estimated by a grey closing on a small copy (the ink
    disappears, shadows and gradients stay); dividing by it flattens the light. Otsu
    then splits ink from paper, with a minimum contrast so a blank page stays blank.
    The darkness keeps the anti-aliased edges that MNIST digits have.
    """
    light = ink_is_light(grey) if polarity == "auto" else polarity == "light"
    img = 255 - grey if light else grey
    paper = np.maximum(_paper(img), 1.0)
    darkness = np.clip(1.0 - img.astype(np.float32) / paper, 0.0, 1.0)
    dark8 = cv2.GaussianBlur((darkness * 255).astype(np.uint8), (3, 3), 0)  # denoised, for the mask only
    return darkness, dark8 > max(_ink_threshold(dark8), MIN_CONTRAST * 255)


def _ink_threshold(dark8: np.ndarray) -> float:
    """Otsu's split of paper and ink, leaving out the table or floor around the page.

    Where the page does not fill the frame, its dark surround is a third, darker mode
    that drags Otsu's split up between it and everything else, and faint pencil falls
    apart. The surround is what touches the frame's border; a 1/16 sample finds it.
    """
    sample = dark8[::4, ::4]
    otsu, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = (sample > otsu).astype(np.uint8)
    border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    if border.mean() < SURROUND_BORDER:
        return otsu
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    edge_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    inside = ~np.isin(labels, edge_labels[edge_labels > 0])
    inside = cv2.erode(inside.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)  # not the page's edge either
    if inside.mean() < 0.25:
        return otsu
    otsu, _ = cv2.threshold(sample[inside].reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return otsu


def _paper(img: np.ndarray) -> np.ndarray:
    """(H, W) uint8 dark-ink image -> (H, W) float32 estimate of the paper brightness under it."""
    h, w = img.shape
    small = cv2.resize(img, (max(w // BACKGROUND_SCALE, 1), max(h // BACKGROUND_SCALE, 1)), interpolation=cv2.INTER_AREA)
    k = max(3, (min(small.shape) // PAPER_KERNEL) | 1)  # wider than a stroke, narrower than a shadow
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    return cv2.resize(closed, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)


def find_marks(darkness: np.ndarray, ink: np.ndarray, lift: bool = True) -> list:
    """(H, W) darkness and bool ink mask -> candidate digits, pieces of one digit merged, noise dropped.

    Shadows are not dropped with what is written in them: ink inside a shadow is found
    again against the shadow (``lift``), and the search runs once more.
    """
    h, w = ink.shape
    # Grana's decision-tree labelling: same labels, 2.4x faster here than the default with stats
    count, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(
        ink.astype(np.uint8), 8, cv2.CV_32S, cv2.CCL_GRANA
    )
    min_area = max(MIN_MARK_AREA * h * w, 4)
    edges = _frame_edges(labels, count)
    big = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= min_area]
    shadows = [i for i in big if _is_shadow(darkness, labels, stats[i], i)]
    if shadows and lift:
        return find_marks(*_lift_shadows(darkness, ink, labels, stats, shadows), lift=False)
    keep = [i for i in big if i not in edges and i not in shadows]
    keep = sorted(keep, key=lambda i: -stats[i, cv2.CC_STAT_AREA])[:MAX_PIECES]
    keep = [i for i in keep if not _is_drawn_box(labels, stats[i], i)]
    groups = _merge_pieces([tuple(int(v) for v in stats[i, :4]) for i in keep])
    candidates = [(g, _union([b for _, b in g])) for g in groups]
    candidates = [(g, b) for g, b in candidates if b[2] <= MAX_LINE_ASPECT * b[3]]
    tallest = max((b[3] for _, b in candidates), default=0)
    found = []  # (box, darkness in the box, the mark's pixels, darkness of its solid stroke)
    for group, (x, y, bw, bh) in candidates:
        if bh < max(MIN_MARK_PX, MIN_HEIGHT_OF_TALLEST * tallest) or _is_sliver((x, y, bw, bh), w, h):
            continue
        mask = np.isin(labels[y : y + bh, x : x + bw], [keep[i] for i, _ in group])
        if mask.mean() > MAX_FILL and bw > 0.4 * bh and bh > 2 * MIN_MARK_PX:
            continue
        dark = darkness[y : y + bh, x : x + bw]
        found.append(((x, y, bw, bh), dark, mask, float(np.percentile(dark[mask], 75))))
    writing = [solid for *_, solid in found if solid >= MIN_INK]
    floor = min(MIN_INK, FAINT_SHARE * float(np.median(writing))) if writing else MIN_INK
    return [Mark(box, _strength(dark, mask, solid)) for box, dark, mask, solid in found if solid >= floor]


def _frame_edges(labels: np.ndarray, count: int) -> set:
    """Components that run along a border or across the frame: the paper's edge, a table, a shadow's edge.

    A digit may touch the border (a drawing that fills its canvas) but only over a short
    stretch, and it does not reach from one side of the frame to the other.
    """
    sides = (labels[0], labels[-1], labels[:, 0], labels[:, -1])
    cover = [np.bincount(side, minlength=count) / len(side) for side in sides]
    touch = [set(np.flatnonzero(c).tolist()) for c in cover]
    edges = (touch[0] & touch[1]) | (touch[2] & touch[3])  # reaches across the frame
    for c in cover:
        edges |= set(np.flatnonzero(c > FRAME_EDGE_COVER).tolist())  # runs along a side
    return edges - {0}


def _strength(darkness: np.ndarray, mask: np.ndarray, solid: float) -> np.ndarray:
    """A mark's darkness scaled so its solid stroke is 1: faint pencil and black marker look alike.

    The mask is widened by a pixel to keep the soft edges; other marks in the box stay out.
    """
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    return np.clip(darkness / max(solid, 1e-3), 0.0, 1.0) * near


def _is_drawn_box(labels: np.ndarray, stat: np.ndarray, label: int) -> bool:
    """A rectangle drawn around a field on a form: all its ink hugs its bounding box and fills
    the four corners, which no handwritten digit (not even a square 0) does."""
    x, y, w, h = (int(v) for v in stat[:4])
    if min(w, h) < 2 * MIN_MARK_PX or stat[cv2.CC_STAT_AREA] > BOX_FILL * w * h:
        return False
    mask = labels[y : y + h, x : x + w] == label
    t = max(2, round(BOX_BAND * min(w, h)))
    corners = (mask[:t, :t], mask[:t, -t:], mask[-t:, :t], mask[-t:, -t:])
    if not all(c.mean() > 0.2 for c in corners):
        return False
    return mask[t:-t, t:-t].sum() < (1 - BOX_ON_EDGE) * mask.sum()


def _is_shadow(darkness: np.ndarray, labels: np.ndarray, stat: np.ndarray, label: int) -> bool:
    """A shadow or a fold in the paper: its edge fades over many pixels, where ink's edge is sharp
    even out of focus. The fade is the mark's darkness over the typical slope at its outline."""
    x, y, w, h = (int(v) for v in stat[:4])
    if min(w, h) < 3:
        return False
    mask = (labels[y : y + h, x : x + w] == label).astype(np.uint8)
    dark = darkness[y : y + h, x : x + w]
    slope = cv2.magnitude(cv2.Sobel(dark, cv2.CV_32F, 1, 0, scale=0.125), cv2.Sobel(dark, cv2.CV_32F, 0, 1, scale=0.125))
    outline = (mask - cv2.erode(mask, np.ones((3, 3), np.uint8))).astype(bool)
    if not outline.any():
        return False
    solid = float(np.percentile(dark[mask.astype(bool)], 75))
    fade = solid / max(float(np.median(slope[outline])), 1e-6)
    return fade > max(SHADOW_FADE_PX, SHADOW_FADE * max(labels.shape))


def _lift_shadows(darkness, ink, labels, stats, shadows) -> tuple:
    """Darkness and ink mask with each shadow flattened out, so the ink in it stands alone.

    Inside a shadow the paper's level is its darkness with the strokes opened away (a
    kernel half the shadow's width is wider than any stroke in it); ink is what stands
    out from that level as much as ink stands out from paper.
    """
    darkness, ink = darkness.copy(), ink.copy()
    for i in shadows:
        x, y, w, h = (int(v) for v in stats[i, :4])
        region = labels[y : y + h, x : x + w] == i
        k = max(3, int(stroke_width(region) / 2) | 1)
        dark = cv2.GaussianBlur(darkness[y : y + h, x : x + w], (3, 3), 0)
        level = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
        lifted = np.clip((dark - level) / np.maximum(1.0 - level, 1e-3), 0.0, 1.0)
        lifted8 = (lifted[region] * 255).astype(np.uint8).reshape(-1, 1)
        otsu, _ = cv2.threshold(lifted8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        darkness[y : y + h, x : x + w][region] = lifted[region]
        ink[y : y + h, x : x + w][region] = lifted[region] * 255 > max(otsu, MIN_CONTRAST * 255)
    return darkness, ink


def _is_sliver(box, w: int, h: int) -> bool:
    """A few pixels wide (or high) against the border: what is left of an edge, not a digit."""
    x, y, bw, bh = box
    at_border = x == 0 or y == 0 or x + bw == w or y + bh == h
    return at_border and min(bw, bh) <= 3


def _merge_pieces(boxes: list) -> list:
    """Group the pieces of one digit: the bar of a 5, a broken 7, a dotted stroke."""
    groups = [[(i, b)] for i, b in enumerate(boxes)]
    merged = True
    while merged:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if _belong_together(_union([x for _, x in groups[a]]), _union([x for _, x in groups[b]])):
                    groups[a] += groups.pop(b)
                    merged = True
                    break
            if merged:
                break
    return groups


def _belong_together(p, q) -> bool:
    """Stacked pieces that overlap mostly in x, or a small piece right next to a bigger one."""
    overlap_x = min(p[0] + p[2], q[0] + q[2]) - max(p[0], q[0])
    gap_x = -overlap_x
    gap_y = max(p[1], q[1]) - min(p[1] + p[3], q[1] + q[3])
    taller = max(p[3], q[3])
    if overlap_x >= 0.6 * min(p[2], q[2]) and gap_y <= 0.25 * taller:
        return True
    small = min(p[3], q[3]) < 0.5 * taller and min(p[2], q[2]) < 0.8 * max(p[2], q[2])
    return small and max(gap_x, gap_y) <= MERGE_GAP * taller


def _union(boxes: list) -> tuple:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def split_in_two(mark: Mark):
    """A wide mark -> (left, right) cut at the thinnest column of its middle, or None if not wide.

    Two digits written touching ("00", "12") make one mark; the reader keeps the cut only
    when both halves read as confident digits.
    """
    h, w = mark.ink.shape
    if w < SPLIT_ASPECT * h:
        return None
    columns = (mark.ink > 0.5).sum(axis=0)
    lo, hi = int(0.3 * w), int(0.7 * w)
    cut = lo + int(np.argmin(columns[lo:hi]))
    x, y = mark.box[:2]
    return Mark((x, y, cut, h), mark.ink[:, :cut]), Mark((x + cut, y, w - cut, h), mark.ink[:, cut:])


def stroke_width(mask: np.ndarray) -> float:
    """(h, w) bool -> mean stroke width in pixels: ink area over half the outline length."""
    area = float(mask.sum())
    if area == 0:
        return 0.0
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    outline = sum(cv2.arcLength(c, True) for c in contours)
    return 2.0 * area / max(outline, 1.0)


def normalise(ink: np.ndarray) -> np.ndarray:
    """(h, w) float ink strength in [0, 1] -> (28, 28) uint8, white on black: MNIST's recipe.

    Stroke width is brought to MNIST's (so a 1-px line and a marker look alike), the
    longer side is scaled to 20 px with anti-aliasing, and the digit is placed in
    28x28 by its centre of mass.
    """
    ink = _even_stroke(ink)
    ys, xs = np.nonzero(ink > 0.3)
    if len(ys) == 0:
        return np.zeros((SIDE, SIDE), np.uint8)
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] * np.float32(255)
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return _centre_by_mass(small)


def _even_stroke(ink: np.ndarray) -> np.ndarray:
    """Dilate strokes thinner than MNIST's, erode thicker ones, towards ``TARGET_STROKE``."""
    longer = max(ink.shape)
    ink = np.pad(ink.astype(np.float32), max(2, longer // 10))
    ratio = stroke_width(ink > 0.5) / longer
    k = int(round(abs(TARGET_STROKE - ratio) * longer))
    if STROKE_RANGE[0] <= ratio <= STROKE_RANGE[1] or k < 1:
        return ink
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 1, k + 1))
    if ratio < TARGET_STROKE:
        return cv2.dilate(ink, kernel)
    thinned = cv2.erode(ink, kernel)
    return thinned if (thinned > 0.5).sum() > 0.3 * (ink > 0.5).sum() else ink


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """(h, w) float, h and w <= 20 -> (28, 28) uint8 with the ink's centre of mass at the centre."""
    out = np.zeros((SIDE, SIDE), np.float32)
    h, w = digit.shape
    m = cv2.moments(digit)
    cy, cx = (m["m01"] / m["m00"], m["m10"] / m["m00"]) if m["m00"] > 0 else (h / 2, w / 2)
    top = int(np.clip(round(SIDE / 2 - cy), 0, SIDE - h))
    left = int(np.clip(round(SIDE / 2 - cx), 0, SIDE - w))
    out[top : top + h, left : left + w] = digit
    return np.clip(out, 0, 255).astype(np.uint8)
