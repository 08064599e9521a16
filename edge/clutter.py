"""What is on a page or in a frame but is not writing: the table around the page, shadows,
ruled lines and underlines, boxes printed around form fields, slivers of edges.

    python -m edge read photo.jpg --debug-dir artifacts/debug   # boxes of what was kept

Each test takes the labelled ink of a frame (``edge.labels.label``) and one
component; sizes are fractions of the frame or of the mark, as in edge/marks.py.
"""

import functools
import math
import statistics

import cv2
import numpy as np

from edge.ink import MIN_CONTRAST, MIN_INK, SURROUND_BORDER
from edge.labels import label, label_pixels, on_the_rim, pixels_of, rim
from edge.normalise import stroke_width

MIN_MARK_PX = 8  # pixels; a mark shorter than this cannot be read
MIN_HEIGHT_OF_TALLEST = 0.5  # marks shorter than half the tallest are specks or printed text beside the number
MAX_LINE_ASPECT = 6.0  # wider than this many heights: a ruled line or underline, not a digit
SHADOW_FADE_PX = 12  # a mark whose edge fades over more pixels than this...
SHADOW_FADE = 0.015  # ...and over more than this fraction of the frame is a shadow, not ink (measured:
# digits' edges fade over 3.3 px, 99% under 9; shadow bands on photos of thin pen writing 14-15 px)
SHADOW_SAMPLES = 400  # outline pixels a shadow's fade is measured on (the median hardly moves past this)
SLOPE_SMOOTH = 1.0  # px: ...on the darkness smoothed this much (sigma), so a photo's grain does not steepen it
SHADOW_DARKEST = 0.6  # a mark this much darker than the paper is ink, however soft its edge: a shadow takes
# at most about half the light (a thick marker digit 400 px tall, blurred, fades like a shadow; measured on
# 240 such photos: 0.5 / 0.6 / 0.7 read 190 / 188 / 183 right, 167 without the limit)
INK_FADE_SPREAD = 2.5  # a mark fading over fewer times the frame's other ink's fade than this is ink (one focus)
LEVEL_KERNEL = 15  # px: a shadow's paper level is found with a kernel at most this wide, on a shrunk copy
TABLE_EDGE_PX = 5  # the table's blurred edge on the page, pixels; a shadow joined to the table is cut off past it
EDGE_LINE_WIDTH = 0.04  # a mark across the frame thinner than this share of its length is a line or fold
DRAWING_BORDER = 0.25  # a drawing's digit touches at most this share of the canvas border...
DRAWING_TWO_TONE = 0.9  # ...and at least this share of its pixels are plain ground or full ink
FRAME_EDGE_COVER = 0.3  # a mark covering more of a side of the frame than this is an edge, not writing
BOX_BAND = 0.12  # a drawn box's ink lies within this fraction of its size from its edges...
BOX_ON_EDGE = 0.9  # ...for at least this fraction of its ink
BOX_FILL = 0.5  # a box is hollow: its ink covers less than this fraction of its bounding box
ENCLOSED_HEIGHT = 0.2  # a mark inside a ring this tall for the ring, or taller, is writing the ring goes around
RING_GAP = 0.3  # a ring drawn around a number may leave a gap this wide for its size
RULE_LENGTH = 1.5  # a straight horizontal run longer than this many heights of its mark is a line, not a stroke
RULE_WRITING = 0.75  # a line that joins digits makes a mark at least this share of the tallest mark's height
RULE_OVERHANG = 0.1  # an underline runs past the digit it is under by this many heights on both sides
WALL_WIDTH = 0.15  # a wall between two printed boxes is this narrow for its height, or narrower
GRID_RUN = 0.15  # of the frame's longer side: a straight run this long across the frame is a line, not a stroke
GRID_SHARE = 0.6  # lines across the frame are cut free of writing when this share of them is straight runs,
RULED_LINES = 3  # or when there are this many of them (ruled paper)
NET_FILL = 0.3  # a net of printed lines fills at most this share of its box (a grid of 2-px lines, 18-px cells: 0.2)
GRID_LINE_WIDTH = 0.01  # of the frame's longer side: printed lines are thinner (0.3-0.5% measured)
RULE_MAX_AREA = 0.1  # of the frame; more ink in one piece is a table or floor around the page, not ruled lines
BAR_FILL = 0.5  # a straight bar fills this share of the bar its second moments describe, or more
BAR_SLANT = 60.0  # degrees from level: a bar steeper than this may be a 1, written tall
SURFACE_CONTRAST = 0.3  # ink is darker than what is not ink around it by this share of its darkness against
# the paper estimate, at least (measured on 600 generated strings and 120 photos of a page on a desk: pieces of
# digits 0.82 and up, pieces of desk 0.29 and down; faint pencil and hollow marker strokes go lower, see below)
SURFACE_RING = 0.1  # of a mark's size: the paper around it is looked at this far out from its box, this wide


def frame_edges(labels: np.ndarray, stats: np.ndarray, darkness: np.ndarray) -> tuple:
    """Components that run along a border or across the frame: the paper's edge, a table, a fold;
    and, of those, the thin lines across it (a margin, a fold, squared paper's grid).

    A digit may touch the border over a short stretch, and a digit that fills its canvas
    (a Paint drawing) reaches from one side to the other, or runs along a side (the bar of
    a 7); a line across the frame is thin, and a drawing has no table around it. The boxes
    tell which components reach a side; only those whose box spans FRAME_EDGE_COVER of it
    have their pixels along it counted.
    """
    h, w = labels.shape
    x, y, bw, bh = (stats[1:, k] for k in range(4))
    top, bottom, left, right = y == 0, y + bh == h, x == 0, x + bw == w
    across = np.flatnonzero((top & bottom) | (left & right)) + 1
    lines = {int(i) for i in across if _is_thin(labels, stats[i], i)}
    edges = set(lines)
    along = set()
    wide, tall = bw > FRAME_EDGE_COVER * w, bh > FRAME_EDGE_COVER * h
    if wide.any() or tall.any():  # most frames hold no such component: a side at a time only if one does
        for side, on in ((labels[0], top & wide), (labels[-1], bottom & wide), (labels[:, 0], left & tall),
                         (labels[:, -1], right & tall)):
            for i in np.flatnonzero(on) + 1:
                if np.count_nonzero(side == i) / len(side) > FRAME_EDGE_COVER:
                    along.add(int(i))
    if along and not is_drawing(darkness, labels):
        edges |= along  # runs along a side: the table or floor around a photographed page
    return edges, lines


def grid_lines(labels: np.ndarray, stats: np.ndarray, lines, least: int = 0) -> np.ndarray:
    """(H, W) bool mask of the thin lines across the frame (squared paper's grid, a margin, a
    fold) without the writing on them, or None: a digit written over them comes free instead
    of going with them (``_without_writing``, as is ``least``)."""
    printed = []  # (box, mask) of the lines thin enough to be printed, not a strip of table or floor
    for i in lines:
        x, y, w, h = stats[i, :4].tolist()
        printed.append(((x, y, w, h), (labels[y : y + h, x : x + w] == i).view(np.uint8)))
    return _without_writing(printed, labels.shape, ruled=len(lines) >= RULED_LINES, least=least)


def lines_on_the_page(labels: np.ndarray, stats: np.ndarray, pieces: list) -> np.ndarray:
    """``grid_lines`` for the nets of lines that span GRID_RUN of the frame both ways without
    reaching its border: squared paper, or ruled lines and their margin, on a page whose edge
    is in the photo with paper around them. Each net must hold RULED_LINES straight lines side
    by side (a box drawn around the number, or a digit drawn in straight strokes, does not)."""
    long = GRID_RUN * max(labels.shape)
    nets = [i for i in pieces if min(stats[i, 2], stats[i, 3]) >= long
            and stats[i, cv2.CC_STAT_AREA] <= NET_FILL * stats[i, 2] * stats[i, 3]]  # not a big digit's strokes
    return grid_lines(labels, stats, nets, least=RULED_LINES) if nets else None


def _without_writing(lines: list, shape: tuple, ruled: bool, least: int = 0) -> np.ndarray:
    """(H, W) bool mask of the printed lines among ``lines``, (box, uint8 mask) pairs in a frame
    of ``shape``, less the writing on them, or None. The lines' straight runs are cut where the
    ink is no thicker than the line (where a stroke crosses a line or runs along it, as the bar
    of a 7, it is thicker); what is left counts as writing if it is digit-sized, not itself a
    thin line and not against the frame's border (the lines' ends). Unless ``ruled`` (parallel
    lines, each across the frame), a net of lines must be mostly straight runs (GRID_SHARE);
    and all of them must hold ``least`` straight lines side by side, or none is cut (a page's
    lines, not a margin line alone, nor a digit drawn in straight strokes)."""
    printed = [(box, mask) for box, mask in lines if stroke_width(mask) <= GRID_LINE_WIDTH * max(shape)]
    if not printed:
        return None  # the slant is measured only when there are lines to cut (it costs a full-frame pass)
    n = max(3 * MIN_MARK_PX, int(GRID_RUN * max(shape)))
    everything = np.zeros(shape, np.uint8)
    for (x, y, w, h), mask in printed:
        everything[y : y + h, x : x + w] |= mask
    angle = _line_angle(everything)
    cuts = [_straight_lines(mask, n, angle) for _, mask in printed]
    if sum(count for _, count in cuts) < least:
        return None
    found = None
    for ((x, y, w, h), mask), (cut, _) in zip(printed, cuts):
        if not ruled and (cut & mask).sum() < GRID_SHARE * mask.sum():
            continue  # not a net of straight lines (a slanted page edge, a fold): dropped whole with the edges
        count, pieces, piece_stats = label(mask & (1 - cut))
        sized = np.flatnonzero(piece_stats[1:, 2:4].max(axis=1) >= 2 * MIN_MARK_PX) + 1
        near = cv2.dilate(cut, np.ones((3, 3), np.uint8)).astype(bool)
        writing = [j for j in sized if not _is_thin(pieces, piece_stats[j], j)
                   and not _is_wall(near, pieces, piece_stats[j], j)  # the joints of a brick wall
                   and not touches_border((x + piece_stats[j, 0], y + piece_stats[j, 1], *piece_stats[j, 2:4]),
                                          shape[1], shape[0])]  # the ends of the lines
        writing += _beside(piece_stats, writing, np.setdiff1d(np.arange(1, count), sized))  # a tail below a line
        found = np.zeros(shape, bool) if found is None else found
        found[y : y + h, x : x + w] |= mask.astype(bool) & ~pixels_of(pieces, writing)
    return found


def _beside(stats: np.ndarray, writing: list, small) -> list:
    """The small pieces whose centre lies within a quarter of its height of a piece of writing:
    the rest of a digit that a line cut off, not a crossing of the grid."""
    found = []
    for j in small:
        cx, cy = stats[j, 0] + stats[j, 2] / 2, stats[j, 1] + stats[j, 3] / 2
        for x, y, w, h in (stats[k, :4] for k in writing):
            if x - h / 4 <= cx <= x + w + h / 4 and y - h / 4 <= cy <= y + h + h / 4:
                found.append(int(j))
                break
    return found


def _straight_lines(mask: np.ndarray, n: int, angle: float) -> tuple:
    """(uint8 mask of the thin straight lines in ``mask``, with their soft edges; how many of them
    run side by side, in whichever direction has more). Lines at a slant of ``angle`` degrees
    (ruled paper photographed at an angle) are turned level first, and the result turned back."""
    if abs(angle) > np.degrees(np.arctan2(1, n)):  # a line 1 px thick would step within n px
        h, w = mask.shape
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        level = cv2.warpAffine(mask, turn, (w, h), flags=cv2.INTER_NEAREST)
        cut, count = _straight_lines_level(level, n)
        back = cv2.warpAffine(cut, turn, (w, h), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)
        return cv2.dilate(back, np.ones((3, 3), np.uint8)) & mask, count  # nearest-pixel turns miss a pixel
    return _straight_lines_level(mask, n)


def _straight_lines_level(mask: np.ndarray, n: int) -> tuple:
    flat, upright = (_thin_runs(mask, n, across) for across in (0, 1))
    count = max(cv2.connectedComponents(runs, connectivity=8)[0] - 1 for runs in (flat, upright))
    return cv2.dilate(flat, np.ones((3, 1), np.uint8)) | cv2.dilate(upright, np.ones((1, 3), np.uint8)), count


def _line_angle(mask: np.ndarray) -> float:
    """The slant of the lines in a uint8 mask, degrees in [-45, 45): the mean of the gradient's
    direction taken four times over, so the two directions of a grid and the two sides of
    a line agree."""
    small = mask if max(mask.shape) <= 640 else cv2.resize(mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    smooth = cv2.GaussianBlur(small.astype(np.float32), (0, 0), 2.0)  # a pixel staircase would pull towards level
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1)
    weight, alpha = cv2.cartToPolar(gx, gy)
    return float(np.degrees(np.arctan2((weight * np.sin(4 * alpha)).sum(), (weight * np.cos(4 * alpha)).sum())) / 4)


def _thin_runs(mask: np.ndarray, n: int, across: int) -> np.ndarray:
    """uint8 mask of the straight runs at least ``n`` long (flat ones for across=0, upright ones
    for 1) where the ink is no thicker across them than the runs' own typical width + 2 px.
    Outside the mask is paper: a line along the box's edge is as thin as any other."""
    along = np.ones((1, n) if across == 0 else (n, 1), np.uint8)
    band = cv2.dilate(mask, np.ones((3, 1) if across == 0 else (1, 3), np.uint8))  # a line a degree off steps aside
    runs = cv2.morphologyEx(band, cv2.MORPH_OPEN, along, borderType=cv2.BORDER_CONSTANT, borderValue=0) & mask
    if not runs.any():
        return runs
    t = int(round(stroke_width(runs))) + 2
    thick = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((t, 1) if across == 0 else (1, t), np.uint8),
                             borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return runs & (1 - thick)


def on_a_dark_surface(grey: np.ndarray, darkness: np.ndarray, ink: np.ndarray, box: tuple, mask: np.ndarray) -> bool:
    """A mark that is the edge of a dark surface the paper estimate took for paper, not ink:
    the desk beside a page turned in the photo. Far from the page the estimate follows the
    desk, near the page's edge it lags, and a wedge of desk along the edge stood out as a tall
    thin mark, read as a 1 that made the number's digits specks beside it, or a piece of desk
    took the number into its group (120 photos of a page on a desk: 103 -> 114 read right).

    In the frame itself (``grey``, ink dark) such a mark is hardly darker than what is not ink
    around it (SURFACE_CONTRAST), and that dark surface runs along the frame's border. A thick
    marker's stroke whose middle the estimate missed is as dark as the mark found on its rim,
    and light pencil hardly darker than the grain around it, but paper surrounds them, or the
    photo's edge cuts them over a short stretch only (of 1,499 pieces of digits tested in 240
    photos of big marker numbers and 120 of light pencil, 18 were dropped, in strings that were
    read wrong before too; no string of either set read right became wrong).
    ``mask``: the mark's pixels in its ``box``."""
    x, y, w, h = box
    a = max(2, int(SURFACE_RING * max(w, h)))
    step = max(1, int(np.sqrt(w * h / SHADOW_SAMPLES / 4)))  # pixels on a grid, as for a shadow's fade
    x0, y0 = max(0, x - 2 * a), max(0, y - 2 * a)
    x1, y1 = min(grey.shape[1], x + w + 2 * a), min(grey.shape[0], y + h + 2 * a)
    ring = ~ink[y0:y1, x0:x1]
    ring[max(0, y - a) - y0 : y + h + a - y0, max(0, x - a) - x0 : x + w + a - x0] = False  # a way out
    ring, on = ring[::step, ::step], mask[::step, ::step]
    if np.count_nonzero(ring) < 10 or not on.any():
        return False
    around = grey[y0:y1:step, x0:x1:step][ring]
    mark, paper = quantile(grey[y : y + h : step, x : x + w : step][on], 0.1), quantile(around, 0.1)
    if paper - mark >= SURFACE_CONTRAST * max(paper, 1):  # ink, however dark its solid stroke (at most 1)
        return False
    solid = quantile(darkness[y : y + h : step, x : x + w : step][on], 0.75)
    if paper - mark >= SURFACE_CONTRAST * solid * max(paper, 1):
        return False
    return _in_the_surround(grey, box, mask, (mark + quantile(around, 0.9)) / 2)


def _in_the_surround(grey: np.ndarray, box: tuple, mask: np.ndarray, level: float) -> bool:
    """The mark lies in a region of ``grey`` no lighter than ``level`` that covers SURROUND_BORDER
    of the frame's border or more: the table or floor around the page, not a digit the photo's
    edge cuts. Taken on a copy 4 times smaller (a wedge of desk 2 px wide there still joins up)."""
    small = cv2.resize(grey, (max(1, grey.shape[1] // 4), max(1, grey.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    labels = label_pixels(small <= level)
    ys, xs = np.nonzero(mask)
    ys, xs = np.minimum((box[1] + ys) // 4, small.shape[0] - 1), np.minimum((box[0] + xs) // 4, small.shape[1] - 1)
    mine = labels[ys, xs]
    border = rim(labels)
    return np.count_nonzero(np.isin(border, mine[mine > 0])) >= SURROUND_BORDER * border.size


def is_drawing(darkness: np.ndarray, labels: np.ndarray) -> bool:
    """A drawing made on a computer: two-tone (nearly every pixel exactly the ground or full ink;
    a camera's noise and a photo's shading leave the ground a little uneven) with its border
    mostly ground, so nothing surrounds it."""
    border = rim(labels) > 0
    if border.mean() > DRAWING_BORDER:
        return False
    sample = darkness[::2, ::2]
    return float(((sample == 0) | (sample > 0.95)).mean()) > DRAWING_TWO_TONE


def _is_thin(labels: np.ndarray, stat: np.ndarray, label: int) -> bool:
    """A line rather than a stroke: thinner than EDGE_LINE_WIDTH of its length (digits' strokes
    are 6.7% of their size or more in MNIST)."""
    x, y, w, h = stat[:4].tolist()
    return stroke_width(labels[y : y + h, x : x + w] == label) < EDGE_LINE_WIDTH * max(w, h)


def is_drawn_box(labels: np.ndarray, stat: np.ndarray, label: int) -> bool:
    """A rectangle drawn around a field on a form: all its ink hugs its bounding box and fills
    the four corners, which no handwritten digit (not even a square 0) does."""
    x, y, w, h = stat[:4].tolist()
    if min(w, h) < 2 * MIN_MARK_PX or stat[cv2.CC_STAT_AREA] > BOX_FILL * w * h:
        return False
    t = max(2, round(BOX_BAND * min(w, h)))
    corners = ((y, x), (y, x + w - t), (y + h - t, x), (y + h - t, x + w - t))  # each looked at alone: few
    if not all(np.count_nonzero(labels[cy : cy + t, cx : cx + t] == label) / (t * t) > 0.2 for cy, cx in corners):
        return False  # digits fill all four, and the box is compared only for a piece that does
    mask = labels[y : y + h, x : x + w] == label
    return np.count_nonzero(mask[t:-t, t:-t]) < (1 - BOX_ON_EDGE) * np.count_nonzero(mask)


def rings(labels: np.ndarray, stats: np.ndarray, pieces: list) -> list:
    """Pieces drawn around the number (a circled answer, a box drawn round it): another piece
    of writing size lies in the hole. A small gap where the pen did not quite close the ring
    is bridged; a speck inside a 0 is too small to count."""
    pieces = np.asarray(pieces, int)
    x, y, w, h = (stats[pieces, k] for k in range(4))
    hollow = np.flatnonzero((h >= 2 * MIN_MARK_PX) & (stats[pieces, cv2.CC_STAT_AREA] < BOX_FILL * w * h))
    if hollow.size == 0:
        return []
    ring = hollow[:, None]  # a row for each hollow piece: all tested at once
    inside = (x > x[ring]) & (y > y[ring]) & (x + w < (x + w)[ring]) & (y + h < (y + h)[ring])
    inside &= h >= ENCLOSED_HEIGHT * h[ring]
    return [int(pieces[i]) for i, holds in zip(hollow, inside) if holds.any()
            and _in_hole(labels, stats[pieces[i]], pieces[i], stats[pieces[holds]])]


def _in_hole(labels: np.ndarray, stat: np.ndarray, label: int, inner: np.ndarray) -> bool:
    """True when the centre of one of the ``inner`` boxes lies in the hole of component ``label``."""
    x, y, w, h = stat[:4].tolist()
    mask = (labels[y : y + h, x : x + w] == label).view(np.uint8)
    k = max(3, int(RING_GAP * min(w, h)) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    outlines, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hole = cv2.drawContours(np.zeros_like(closed), outlines, -1, 1, cv2.FILLED) & (1 - closed)
    return any(hole[iy + ih // 2 - y, ix + iw // 2 - x] for ix, iy, iw, ih in inner[:, :4])


def is_shadow(darkness: np.ndarray, labels: np.ndarray, stat: np.ndarray, label: int, shrunk_by: int = 1) -> bool:
    """A shadow or a fold in the paper: its edge fades over many pixels (``_fade``), where ink's
    edge is sharp even out of focus. A mark darker than SHADOW_DARKEST is ink (and is not looked
    at further: most ink is). In a frame shrunk ``shrunk_by`` times, a fade is as many times
    fewer pixels long (searched at half size with the frame's own SHADOW_FADE_PX, a texture's
    blobs and a shadow's edge were ink: 2 more of 800 non-digit images read with confidence)."""
    return _fades_as_a_shadow(_fade(darkness, labels, stat, label, SHADOW_DARKEST, shrunk_by), labels.shape, shrunk_by)


def _fades_as_a_shadow(fade, shape: tuple, shrunk_by: int) -> bool:
    """``is_shadow`` from the mark's ``_fade`` (None: ink, or no fade seen) in a frame of ``shape``."""
    return fade is not None and fade[1] > max(SHADOW_FADE_PX / shrunk_by, SHADOW_FADE * max(shape))


def shadows_among(darkness: np.ndarray, labels: np.ndarray, stats: np.ndarray, marks: list, shrunk_by: int = 1) -> list:
    """The shadows among the components ``marks`` of a frame: each ``is_shadow``, less those as
    dark as ink (MIN_INK) that fade over less than INK_FADE_SPREAD times the typical fade of
    the frame's other ink.

    A photo has one focus. Out of focus, a digit in a thin pen fades over as many pixels as the
    limit for a shadow in a large frame, and was flattened as one: the number lost it (a 4 of
    "4282" at 1280x960 faded over 20 px, the other digits 7-9, the shadow band beside them 32-42).
    Only ink-dark marks count on either side: paper grain fades slowly, and a shadow is faint.
    ``shrunk_by``: as for ``is_shadow``. Each fade is measured once (the slope along an outline
    is the costly part): where the shadows' test measured it, the ink's reuses it."""
    fades = {i: _fade(darkness, labels, stats[i], i, SHADOW_DARKEST, shrunk_by) for i in marks}
    found = [i for i in marks if _fades_as_a_shadow(fades[i], labels.shape, shrunk_by)]
    if all(fades[i][0] < MIN_INK for i in found):
        return found
    ink = [fades[i] or _fade(darkness, labels, stats[i], i, shrunk_by=shrunk_by) for i in marks
           if i not in found and stats[i, 3] >= MIN_MARK_PX]
    ink = [fade for solid, fade in filter(None, ink) if solid >= MIN_INK]
    if not ink:
        return found
    sharp = INK_FADE_SPREAD * statistics.median(ink)  # of a few floats: 50x faster than np.median
    return [i for i in found if fades[i][0] < MIN_INK or fades[i][1] > sharp]


def _fade(darkness: np.ndarray, labels: np.ndarray, stat: np.ndarray, label: int, darkest: float = np.inf,
          shrunk_by: int = 1):
    """(darkness, fade) of component ``label``: its darkness (the 0.75 quantile) and over how
    many pixels its edge fades, that darkness over the typical slope at its outline; both are
    measured on a sample of at most SHADOW_SAMPLES pixels (the table around a page is a mark as
    big as the frame). None for a mark narrower than SHADOW_FADE_PX (a fade that long needs a
    mark at least as wide), one whose outline the frame hides, or one ``darkest`` or darker."""
    x, y, w, h = stat[:4].tolist()
    if min(w, h) < SHADOW_FADE_PX / shrunk_by:
        return None
    step = max(1, int(math.sqrt(w * h / SHADOW_SAMPLES / 4)))  # the mark's pixels on a grid
    grid = (slice(y, y + h, step), slice(x, x + w, step))
    mine, values = labels[grid] == label, darkness[grid]
    n = np.count_nonzero(mine)
    if n and np.count_nonzero(mine & (values < _float32_bound(darkest))) <= int(0.75 * (n - 1)):
        return None  # its 0.75 quantile is ``darkest`` or darker: counted, where sorting took 2-4x as long
    solid = quantile(values[mine], 0.75)
    if solid >= darkest:
        return None
    mask = (labels[y : y + h, x : x + w] == label).view(np.uint8)
    outlines, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE, offset=(x, y))
    points = np.concatenate(outlines).reshape(-1, 2)
    fh, fw = darkness.shape
    if touches_border((x, y, w, h), fw, fh):  # where the photo cuts the mark, its edge is not seen
        px, py = points[:, 0], points[:, 1]
        points = points[(px > 0) & (py > 0) & (px < fw - 1) & (py < fh - 1)]
    if len(points) == 0:
        return None
    points = points[:: -(-len(points) // SHADOW_SAMPLES)]
    slope = _slope_at(darkness, points[:, 1], points[:, 0])
    return solid, solid / max(quantile(slope, 0.5), 1e-6)


@functools.lru_cache(maxsize=8)  # a shadow's fade asks for one of two limits, several times a frame
def _float32_bound(x: float) -> np.float32:
    """The float32 that float32 values are below exactly when they are below ``x``: the least
    not under it. Against ``x`` itself, as a float64, NumPy casts every value to float64 first."""
    bound = np.float32(x)
    return np.nextafter(bound, np.float32(np.inf)) if float(bound) < x else bound


def _slope_at(darkness: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """``edge_slope`` at the given pixels only, on the darkness smoothed by a Gaussian of
    SLOPE_SMOOTH px: their neighbourhoods gathered at once, not the whole box filtered (the
    table's box is the frame). Pixels near the frame's border take its nearest pixels.

    Unsmoothed, a noisy photo's grain made every edge steep (the slope at the outline of a
    mark cut from noise is where the noise peaks), and shadows passed for ink: the number in
    them was lost, or they made it look like specks (600 generated images with noise of 10
    grey levels: 523 read right; 529 smoothed by 1 px, 527 by 0.7 px; six seeds the same).

    The neighbourhoods are picked from a view of every pixel's (``_neighbourhoods``): the same
    values as a gather by flat index, in 0.64 of the time (400 outline pixels: 39 against 61
    µs), most of which went on adding up the indices."""
    r = _SMOOTH_RADIUS
    if min(darkness.shape) <= 2 * r:  # a frame smaller than the kernel: its nearest pixels repeated
        darkness, ys, xs = np.pad(darkness, r, mode="edge"), ys + r, xs + r
    h, w = darkness.shape
    ys = np.minimum(np.maximum(ys, r), h - 1 - r) - r  # 3x np.clip's speed
    xs = np.minimum(np.maximum(xs, r), w - 1 - r) - r
    around = _neighbourhoods(darkness)[ys, xs].reshape(len(ys), -1)
    return np.hypot(around @ _SLOPE_X, around @ _SLOPE_Y)


def _neighbourhoods(a: np.ndarray) -> np.ndarray:
    """(H - 2r, W - 2r, 2r + 1, 2r + 1) read-only view of ``a``: each pixel's neighbourhood of
    radius _SMOOTH_RADIUS, by its top-left corner (NumPy's sliding_window_view, without its checks)."""
    k, (s0, s1) = 2 * _SMOOTH_RADIUS + 1, a.strides
    return np.lib.stride_tricks.as_strided(a, (a.shape[0] - k + 1, a.shape[1] - k + 1, k, k), (s0, s1, s0, s1),
                                           writeable=False)


def _smoothed_sobel(sigma: float) -> tuple:
    """(radius, x and y kernels) of Sobel / 8 after a Gaussian of ``sigma`` px, as one kernel
    each, flattened row by row."""
    g = cv2.getGaussianKernel(2 * int(np.ceil(3 * sigma)) + 1, sigma).astype(np.float32)
    gauss = np.pad(g @ g.T, 1)
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32) * np.float32(0.125)
    kx = cv2.filter2D(gauss, -1, sobel, borderType=cv2.BORDER_CONSTANT)
    ky = cv2.filter2D(gauss, -1, sobel.T, borderType=cv2.BORDER_CONSTANT)
    return len(gauss) // 2, kx.ravel(), ky.ravel()


_SMOOTH_RADIUS, _SLOPE_X, _SLOPE_Y = _smoothed_sobel(SLOPE_SMOOTH)


def quantile(values: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a 1-D array (the nearest value below it, no interpolation): for the
    few hundred pixels of a mark np.percentile spends 15x longer on its checks than on the work.
    ``values`` is partitioned in place (its order changes, not its values): every caller passes
    an array made for the call, and a copy and NumPy's wrapper cost more than the partition."""
    return quantiles(values, (q,))[0]


def quantiles(values: np.ndarray, qs) -> list:
    """``quantile`` at each of ``qs``, the array partitioned once for all of them."""
    if values.size == 0:
        return [float("nan")] * len(qs)
    ks = [int(q * (values.size - 1)) for q in qs]
    values.partition(ks)
    return [float(values[k]) for k in ks]


def edge_slope(darkness: np.ndarray) -> np.ndarray:
    """(h, w) float32 darkness -> how steeply it changes at each pixel, per pixel (Sobel / 8).
    Ink's edge is steep for its darkness; a shadow's, a stain's or a texture's is not."""
    gx = cv2.Sobel(darkness, cv2.CV_32F, 1, 0, scale=0.125)
    gy = cv2.Sobel(darkness, cv2.CV_32F, 0, 1, scale=0.125)
    return cv2.magnitude(gx, gy)


def on_the_table(darkness: np.ndarray, labels: np.ndarray, stats: np.ndarray, tables, shrunk_by: int = 1) -> tuple:
    """What is joined to the table around the page: ([((x, y, w, h), region)] of shadows, (H, W)
    bool mask of printed lines without the writing on them, or None).

    A hand's shadow that reaches the page's edge makes one component with the table, and
    the table's sharp edge hides the shadow's soft one. The lines of a ruled or squared page
    run to its edge, and join the table too, with every digit written on them: the whole
    went as the table, and a number on a notebook page read nothing. The table is the darker
    part of the component that reaches the frame's border (Otsu's split of its darkness),
    widened over its own blurred edge; each piece left over is tested as a shadow on its own,
    and the long ones that are not, as lines across the page (``_without_writing``).
    """
    found, lines = [], []
    long = GRID_RUN * max(labels.shape)
    for i in tables:
        x, y, w, h = stats[i, :4].tolist()
        component, dark = labels[y : y + h, x : x + w] == i, darkness[y : y + h, x : x + w]
        dark255 = dark * 255
        split, _ = cv2.threshold(dark255[component].astype(np.uint8).reshape(-1, 1), 0, 255, cv2.THRESH_OTSU)
        table = on_the_rim(component & (dark255 > split)).view(np.uint8)  # the core's pieces on the box's rim
        table = cv2.dilate(table, np.ones((TABLE_EDGE_PX, TABLE_EDGE_PX), np.uint8)).view(bool)
        count, pieces, piece_stats = label(component & ~table)
        for j in range(1, count):
            px, py, pw, ph = piece_stats[j, :4].tolist()
            if is_shadow(dark, pieces, piece_stats[j], j, shrunk_by):
                found.append(((x + px, y + py, pw, ph), pieces[py : py + ph, px : px + pw] == j))
            elif max(pw, ph) >= long:
                lines.append(((x + px, y + py, pw, ph), (pieces[py : py + ph, px : px + pw] == j).view(np.uint8)))
    return found, _without_writing(lines, labels.shape, ruled=True, least=RULED_LINES) if lines else None


def lift_shadows(darkness, ink, shadows) -> tuple:
    """Darkness and ink mask with each shadow, given as ((x, y, w, h), region in that box),
    flattened out, so the ink in it stands alone: ink is what stands out from the paper's
    level in the shadow (``_shadow_level``) as much as ink stands out from paper.
    """
    darkness, ink = darkness.copy(), ink.copy()
    for (x, y, w, h), region in shadows:
        dark = cv2.GaussianBlur(darkness[y : y + h, x : x + w], (3, 3), 0)
        around = _border_share((x, y, w, h), region, darkness.shape) >= SURROUND_BORDER
        level = _shadow_level(dark, region, _level_kernel(region, around))
        lifted = np.clip((dark - level) / np.maximum(1.0 - level, 1e-3), 0.0, 1.0)
        lifted8 = (lifted[region] * 255).astype(np.uint8).reshape(-1, 1)
        otsu, _ = cv2.threshold(lifted8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        darkness[y : y + h, x : x + w][region] = lifted[region]
        ink[y : y + h, x : x + w][region] = lifted[region] * 255 > max(otsu, MIN_CONTRAST * 255)
    return darkness, ink


def _level_kernel(region: np.ndarray, around_the_page: bool) -> int:
    """The width of the kernel that opens the strokes out of a shadow: half the shadow's widest
    width, wider than any stroke written in it. Its mean width (area over outline) is less
    than a marker's stroke when the outline is ragged, and the digit went with the shadow.

    A shadow along SURROUND_BORDER of the frame's border or more is mostly the table around the
    page; its widest part is a corner, and a kernel that wide cannot follow the table's blurred
    edge, which stays as ink along the page (pieces of it between ruled lines read as 1s).
    There the mean width. A band of shadow that only runs off the frame is no table: opened by
    its mean width, a number written in it in a thick pen went with it."""
    if around_the_page:
        return max(3, int(stroke_width(region) / 2) | 1)
    return max(3, int(cv2.distanceTransform(region.astype(np.uint8), cv2.DIST_L2, 3).max()) | 1)


def _border_share(box: tuple, region: np.ndarray, shape: tuple) -> float:
    """The share of the frame's border that ``region`` (in ``box``) lies along."""
    x, y, w, h = box
    fh, fw = shape
    sides = [region[:, 0] if x == 0 else (), region[:, -1] if x + w == fw else (),
             region[0] if y == 0 else (), region[-1] if y + h == fh else ()]
    return sum(np.count_nonzero(side) for side in sides) / (2 * (fw + fh))


def _shadow_level(dark: np.ndarray, region: np.ndarray, k: int) -> np.ndarray:
    """The paper's darkness under a shadow: its darkness with the strokes opened away by a
    ``k``-wide kernel. The opening sees only the shadow, not the paper around it, which would
    pull the level down along the shadow's edge and leave that edge as ink. A kernel costs
    its area per pixel, so a wide one runs on a copy shrunk to LEVEL_KERNEL px of kernel."""
    h, w = dark.shape
    f = -(-k // LEVEL_KERNEL)
    if f > 1:
        size = (max(1, w // f), max(1, h // f))
        share = cv2.resize(region.astype(np.float32), size, interpolation=cv2.INTER_AREA)
        inside = share > 0
        small = cv2.resize(dark * region, size, interpolation=cv2.INTER_AREA) / np.maximum(share, 1e-6)
        k = max(3, (k // f) | 1)
    else:
        inside, small = region, dark
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    eroded = cv2.erode(np.where(inside, small, np.float32(1)), kernel, borderType=cv2.BORDER_REPLICATE)
    level = cv2.dilate(np.where(inside, eroded, np.float32(0)), kernel, borderType=cv2.BORDER_REPLICATE)
    return cv2.resize(level, (w, h), interpolation=cv2.INTER_LINEAR) if f > 1 else level


def find_rules(labels: np.ndarray, stats: np.ndarray, pieces: list):
    """(H, W) bool mask of straight horizontal lines (a ruled line, an underline, a form's
    baseline) that join digits written on them into one wide mark, or None if there are none.

    A line is a horizontal run of ink longer than RULE_LENGTH heights of its mark that
    joins digits or runs past them. Runs may slope by a pixel or two (a hand-drawn line).
    """
    most = RULE_MAX_AREA * labels.size
    tallest = max((int(stats[i, cv2.CC_STAT_HEIGHT]) for i in pieces), default=0)
    found = None
    for i in pieces:
        x, y, w, h = stats[i, :4].tolist()
        length = int(RULE_LENGTH * h)
        if w < max(length, 3 * MIN_MARK_PX) or h < max(MIN_MARK_PX, RULE_WRITING * tallest):
            continue  # too short for a line, or lower than the writing (a piece of a digit)
        if stats[i, cv2.CC_STAT_AREA] > most:
            continue  # the table or floor around the page
        if y == 0 or y + h == labels.shape[0]:
            continue  # runs off the top or bottom: the table or floor around the page, not ruled paper
        mask = (labels[y : y + h, x : x + w] == i).view(np.uint8)
        band = cv2.dilate(mask, np.ones((3, 1), np.uint8))  # a sloping line still fills each row for a while
        run = cv2.morphologyEx(band, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
        rule = cv2.dilate(run, np.ones((3, 1), np.uint8)) & mask
        if rule.any() and _runs_past_marks(rule, mask & ~rule):
            found = np.zeros(labels.shape, bool) if found is None else found
            found[y : y + h, x : x + w] |= rule.astype(bool) | _walls(rule, mask & ~rule)
    return found


def _walls(rule: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The walls between the boxes of a printed comb (one box per digit on a form), which read
    as 1s: the pieces left between the lines that are walls by ``_is_wall``."""
    count, pieces, stats = label(rest)
    near = cv2.dilate(rule, np.ones((3, 3), np.uint8)).astype(bool)
    return pixels_of(pieces, [j for j in range(1, count) if _is_wall(near, pieces, stats[j], j)])


def _is_wall(near: np.ndarray, pieces: np.ndarray, stat: np.ndarray, j: int) -> bool:
    """A straight, upright piece that lines (``near``: the lines widened by a pixel) join at
    both ends. A digit on a ruled line touches it at its foot only. Straight: narrow for its
    height, or no wider than its own rows give or take a pixel on each side (a stretch of a
    margin line that a shadow made thicker than the rest of it)."""
    x, y, w, h = stat[:4].tolist()
    piece = pieces[y : y + h, x : x + w] == j
    straight = w <= max(3.0, WALL_WIDTH * h) or w <= quantile(np.count_nonzero(piece, axis=1), 0.5) + 2
    return straight and (near[y, x : x + w] & piece[0]).any() and (near[y + h - 1, x : x + w] & piece[-1]).any()


_BAR_RUN = float(np.tan(np.radians(90 - BAR_SLANT)))  # run over rise of a bar at BAR_SLANT


def is_line(labels: np.ndarray, stats: np.ndarray, i: int, pieces: list) -> bool:
    """A thin straight piece longer than RULE_LENGTH heights of the tallest other piece, level or
    slanted up to BAR_SLANT: an underline, a form's line, a pen or pencil lying on the page; not
    part of a digit (the bar of a 5 is shorter) and not a 1 (as long as the digits beside it).
    An upright bar is left as it is (a tall 1, a mast in a photo), and so is a slanted one alone
    or with writing inside its box (the slash of a %)."""
    w, h = stats[i, 2:4].tolist()
    level = w >= MAX_LINE_ASPECT * h  # its box shows it
    if not level and w < h * _BAR_RUN:
        return False  # steeper than BAR_SLANT (most digits are): no need to look at the others
    others = stats[[j for j in pieces if j != i]]  # arrays: a page of print has hundreds of pieces
    tallest = int(others[:, cv2.CC_STAT_HEIGHT].max()) if len(others) else 0
    if level:
        return w >= RULE_LENGTH * tallest
    if tallest == 0 or w * w + h * h < (RULE_LENGTH * tallest) ** 2:  # squares of whole pixels: exact
        return False
    if _holds_writing(stats[i], others, MIN_HEIGHT_OF_TALLEST * tallest):
        return False  # the slash of a %, a stroke through a 7 or a 0: part of what is written
    length, width, slant = _bar(labels, stats[i], i)
    straight = stats[i, cv2.CC_STAT_AREA] >= BAR_FILL * length * width  # a curved stroke spreads thin
    return straight and abs(slant) <= BAR_SLANT and length >= max(MAX_LINE_ASPECT * width, RULE_LENGTH * tallest)


def _holds_writing(stat: np.ndarray, others: np.ndarray, height: float) -> bool:
    """One of the ``others`` (stats rows) at least ``height`` tall has its centre inside the box
    of ``stat``."""
    x, y, w, h = stat[:4].tolist()
    cx, cy = others[:, 0] + others[:, 2] / 2, others[:, 1] + others[:, 3] / 2
    return bool(np.any((others[:, 3] >= height) & (x <= cx) & (cx <= x + w) & (y <= cy) & (cy <= y + h)))


def _bar(labels: np.ndarray, stat: np.ndarray, label: int) -> tuple:
    """(length, width, slant in degrees from level) of component ``label``, as those of the bar
    with the same second moments (a bar L long has a variance of L^2 / 12 along it). A curved
    stroke comes out much wider than it is thick."""
    x, y, w, h = stat[:4].tolist()
    m = cv2.moments((labels[y : y + h, x : x + w] == label).view(np.uint8), binaryImage=True)
    a, b, c = m["mu20"] / m["m00"], m["mu02"] / m["m00"], m["mu11"] / m["m00"]
    spread = np.hypot((a - b) / 2, c)
    length, width = np.sqrt(12 * ((a + b) / 2 + spread)), np.sqrt(12 * max((a + b) / 2 - spread, 0.0))
    return float(length), float(width), float(np.degrees(0.5 * np.arctan2(2 * c, a - b)))


def _runs_past_marks(rule: np.ndarray, rest: np.ndarray) -> bool:
    """True when a line runs past what is left without it on both sides (it ran under or
    through digits), or joined separate marks of writing size and runs past them on one side
    at least (a ruled line the photo cuts short). The bars of crowded 4s that join the next
    digits end inside the writing on both sides. The bar of a 7 or a 5 leaves one piece and
    ends where the digit does on one side, give or take its own thickness (the rounded corner
    of a marker's 7 juts out past the stroke below it)."""
    _, _, stats = label(rest)
    h = rest.shape[0]
    line, left = np.flatnonzero(rule.any(axis=0)), np.flatnonzero(rest.any(axis=0))
    if len(left) == 0:
        return False
    thickness = np.count_nonzero(rule) / max(len(line), 1)
    margin = max(2, RULE_OVERHANG * h, thickness)
    before, after = line[0] <= left[0] - margin, line[-1] >= left[-1] + margin
    joins = int((stats[1:, cv2.CC_STAT_HEIGHT] >= MIN_HEIGHT_OF_TALLEST * h).sum()) >= 2
    return (joins and (before or after)) or (before and after)


def is_sliver(box, w: int, h: int) -> bool:
    """A few pixels wide (or high) against the border: what is left of an edge, not a digit."""
    return touches_border(box, w, h) and min(box[2], box[3]) <= 3


def touches_border(box, w: int, h: int) -> bool:
    """The box reaches a side of the (w, h) frame: what is in it may go on outside."""
    x, y, bw, bh = box
    return x == 0 or y == 0 or x + bw == w or y + bh == h
