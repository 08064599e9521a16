"""Ink -> candidate digits: connected pieces, merged per digit, with frames, shadows, boxes and noise dropped.

    python -m edge read photo.jpg --debug-dir artifacts/debug   # boxes of what was kept

Sizes are fractions of the frame or of the tallest mark, so the same rules hold for a
digit 12 px tall in a 640x480 frame and one that fills a 2000 px canvas.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from edge.clutter import (
    MAX_LINE_ASPECT,
    MIN_HEIGHT_OF_TALLEST,
    MIN_MARK_PX,
    RULE_MAX_AREA,
    edge_slope,
    find_rules,
    frame_edges,
    grid_lines,
    is_drawing,
    is_drawn_box,
    is_line,
    is_sliver,
    lift_shadows,
    lines_on_the_page,
    on_a_dark_surface,
    on_the_table,
    quantile,
    quantiles,
    rings,
    shadows_among,
    touches_border,
)
from edge.ink import MIN_CONTRAST, MIN_INK, grow_faint, ink_colour, ink_levels
from edge.labels import as_uint8, label, on_the_rim, pixels_of
from edge.normalise import STROKE_RANGE, stroke_width

FAINT_SHARE = 0.6  # beside writing that passes MIN_INK, a fainter stroke of the same hand (a lighter
# pencil line, a digit in a shadow) is kept down to this share of the writing's median darkness
FAINT_FLOOR = 0.15  # fainter than this, even a stroke-like mark is grain
ROW_OF = 3  # a row of this many faint marks of one height is writing (light pencil)...
ROW_GAP = 3.0  # ...the nearest of them at most this many heights away...
ROW_FLOOR = 0.19  # ...down to this darkness (measured: stains and texture 0.2 and under, soft pencil 0.21);
# fainter, down to FAINT_FLOOR, the row takes one mark more
BESIDE_FLOOR = 0.5  # beside writing, a digit too faint for the ink floor is found down to this share of it
# (measured, 0.4 / 0.5 / 0.6: 6 / 7 / 7 more of 1,800 generated strings right, none worse; non-digits unchanged)
ROW_STEP = 2.0  # heights: a mark this near a digit of a row, and about its size, carries the row on (row_of)
FAINT_SEARCH_MARKS = 30  # ...in a frame of at most this many marks: two rows of ten digits have 20, a page of
# print hundreds, and searching it again doubled its time (a 1280x960 page of text: 270 -> 530 ms)
SLIVER_PX = 3  # pieces this thin are tested as edges of a dark surface, however short
FRAGMENT_SLACK = 2  # a faint mark may hold one found mark lying inside it to this many pixels (found at half size)...
FRAGMENT_RIM = 0.15  # ...when over REST_SHARE of its pixels lie further than this many of that mark's heights...
REST_SHARE = 0.3  # ...from its ink: the rest of a digit, not the blurred rim of a stroke
CRISP_EDGE = 0.18  # a faint stroke's edge climbs this share of its darkness per pixel
SPECK_LENGTH = 1 / 60  # of the frame's size (the root of its area): ink specks smaller than a 1-px stroke
# this long are noise (9 px in a 640x480 frame; 29 px in a 2000x1500 one, where a 1 16 px tall has 50-80 px)
MAX_FILL = 0.9  # a roundish mark whose ink fills more of its box than this is a blob, not a stroke
CUT_BLOB_FILL = 0.7  # the same for a mark the photo's edge cuts (a filled ellipse fills 0.785 of its box)
MAX_PIECES = 200  # only the largest ink pieces are considered; a number has far fewer (bounds the time)
SPLIT_ASPECT = 1.2  # a mark wider than this many heights may be two touching digits...
MIN_SPLIT_WIDTH = 0.4  # ...and one n * this many heights wide may be n (a narrow 0 or 4 is half as wide as tall)
MAX_SPLIT = 4  # touching digits in one mark, at most
MAX_CUTS = 8  # places tried for the cut between two of them, at most (``cut_sets``)
PIECE_GAP = 0.1  # heights: narrow places this far apart may each be the cut between two digits
PIECE_HEIGHT = 0.7  # a piece of touching digits is at least this share of the mark's height...
PIECE_ASPECT = 1.2  # ...and at most this many of its own heights wide, where it is cut through ink...
APART_ASPECT = 1.6  # ...or this many, where no solid ink crosses either end (a wide 0 beside another)
ALL_LINES = 0.9  # share of a ring's ink on straight lines for it to be cut as lines, not dropped whole
STEEP_STROKE = 0.5  # a piece at most this wide for its height is a steep stroke (up to ~27 degrees from upright)
MERGE_GAP = 0.2  # a small piece this close (in heights of the digit) to a digit belongs to it
JOIN_GAP = 0.15  # heights of the taller: two strokes of one digit this near side by side may not touch...
JOIN_SHORTER = 0.8  # ...where the shorter is at most this share of the taller's height (a 4's arm, a 9's loop)...
JOIN_LIFT = 0.15  # ...and ends this many of the taller's heights above its foot (digits of a number share a line)
SCALE_TRIES = 3  # heights tried for the tallest mark that is writing (see _writing)
CUT_TALLER = 2.0  # a mark the border cuts that is this many times the writing's height is the table, not a digit
EDGE_STRIP = 0.25  # a mark on the frame's side this narrow for its height is a strip of an edge, not a digit
INK_PEAK = 0.98  # the quantile of a mark's darkness taken as full ink (``_strength``)
BIG_MARK = 0.5  # a mark this share of the frame's shorter side tall may be a thick marker's digit, its paper
# misjudged (edge.ink._wider_under; 240 photos of big marker numbers: 0.3 / 0.5 / 0.7 read 190 / 188 / 170 right,
# and 0.3 read one more of 800 non-digit images with confidence)


@dataclass(frozen=True)
class Mark:
    """One candidate digit: its box in the frame and its ink inside that box."""

    box: tuple  # (x, y, w, h) in frame pixels
    ink: np.ndarray  # (h, w) float32 ink strength in [0, 1] of this mark only
    whole: bool = True  # False when the frame's border cuts it: part of it may be outside the photo
    solid: float = 1.0  # darkness of its solid stroke against the paper: under MIN_INK it is faint
    core: tuple | None = None  # (box, labels in it, label) of its largest piece, if merged from several (``core_of``)


def find_writing(grey: np.ndarray, polarity: str = "auto", shrunk_by: int = 1, least: int = 0) -> list:
    """(H, W) uint8 grey frame -> candidate digits (``find_marks``), searched once more with
    faint strokes completed when some of what was found is faint: light pencil breaks into
    specks at the ink floor (``edge.ink.grow_faint``), and once more when a fainter digit
    lies beside the writing (``_fainter_beside``). A frame written in pen is searched once.

    A big mark (BIG_MARK of the frame) may be a thick marker's digit whose strokes hid the
    paper from its estimate: the frame is read again with the paper beneath the strokes of
    every mark estimated wider, where that changes it (``edge.ink.ink_levels``, as is
    ``shrunk_by``). Every mark, not the big ones only: a hollow stroke may have broken off
    the rest of its digit as a smaller mark (240 photos of big marker numbers: 190 -> 194 read
    right; six seeds and non-digit images the same).

    ``least``: px; nothing at once when no piece of ink off the frame's border is this tall (the
    reader searches such a frame at full size, whatever is found at half size: ``find_marks``)."""
    polarity = ink_colour(grey, polarity)
    found = find_in_levels(*ink_levels(grey, polarity, shrunk_by=shrunk_by), shrunk_by=shrunk_by, least=least)
    big = any(m.box[3] >= BIG_MARK * min(grey.shape) for m in found)
    levels = ink_levels(grey, polarity, under=[m.box for m in found], shrunk_by=shrunk_by) if big else None
    return found if levels is None else find_in_levels(*levels, shrunk_by=shrunk_by)


def find_in_levels(darkness: np.ndarray, dark8: np.ndarray, floor: int, grey: np.ndarray | None = None,
                   shrunk_by: int = 1, least: int = 0) -> list:
    """``find_writing`` from the levels that ``edge.ink.ink_levels`` gave (the bench times the two
    apart). Not searched again when nothing was found: faint stains and rings on a page would
    come out whole, and stroke-like, as marks."""
    ink = dark8 > floor
    found = find_marks(darkness, ink, grey, shrunk_by=shrunk_by, least=least)
    if any(m.solid < MIN_INK for m in found):
        ink = grow_faint(dark8, floor)
        found = find_marks(darkness, ink, grey, shrunk_by=shrunk_by)
    fainter = _fainter_beside(found, dark8, floor)
    return found if fainter is None else find_marks(darkness, ink | fainter, grey, shrunk_by=shrunk_by)


def _fainter_beside(found: list, dark8: np.ndarray, floor: int):
    """(H, W) bool mask of the digits beside the writing that are too faint for the ink floor,
    or None. A thin pen's line, blurred by the camera, peaks below the floor where a marker's
    stroke is solid, and a digit pressed more lightly in pencil is fainter than the rest of its
    number; at the floor either breaks into specks, and the number loses a digit (a thin 0
    beside thick digits: "62649" for "062649"). Down to BESIDE_FLOOR of the floor it is whole.

    Only what makes a mark of about the height of a found one beside it counts (on its line,
    ROW_GAP heights away at most, touching neither a found mark nor the frame's border): at half
    the floor, paper grain, shadows and the blurred rims of the found digits come up too."""
    if not found or len(found) > FAINT_SEARCH_MARKS:
        return None
    h, w = dark8.shape
    (x0, y0), band = _lines_of([m.box for m in found], (h, w))
    faint = cv2.threshold(dark8[y0 : y0 + band.shape[0], x0 : x0 + band.shape[1]], int(BESIDE_FLOOR * floor), 255,
                          cv2.THRESH_BINARY)[1] & band
    halved = cv2.resize(faint, (max(1, faint.shape[1] // 2), max(1, faint.shape[0] // 2)), interpolation=cv2.INTER_AREA)
    count, _, stats = label(halved > 0)  # at half size: boxes to a pixel or two, a quarter of the pixels to label
    out = None
    for bx, by, bw, bh in (2 * stats[1:count, :4]).tolist():  # plain ints: the tests below are Python's
        bw, bh = min(bw + 2, band.shape[1] - bx), min(bh + 2, band.shape[0] - by)
        box, pixels = (x0 + bx, y0 + by, bw, bh), faint[by : by + bh, bx : bx + bw]
        if not touches_border(box, w, h) and _beside_a_mark(box, pixels, found):
            out = np.zeros(dark8.shape, bool) if out is None else out
            out[box[1] : box[1] + bh, box[0] : box[0] + bw] = pixels > 0
    return out


def _lines_of(boxes: list, shape: tuple) -> tuple:
    """((x, y), uint8 mask from there) of where the marks' lines run: each mark's box widened by
    ROW_GAP of its heights to each side and a quarter of its height up and down."""
    h, w = shape
    spans = [(max(0, x - int(ROW_GAP * bh)), max(0, y - bh // 4), min(w, x + bw + int(ROW_GAP * bh)),
              min(h, y + bh + bh // 4)) for x, y, bw, bh in boxes]
    x0, y0 = min(s[0] for s in spans), min(s[1] for s in spans)
    band = np.zeros((max(s[3] for s in spans) - y0, max(s[2] for s in spans) - x0), np.uint8)
    for a, b, c, d in spans:
        band[b - y0 : d - y0, a - x0 : c - x0] = 255
    return (x0, y0), band


def _beside_a_mark(box: tuple, pixels: np.ndarray, found: list) -> bool:
    """The faint mark in ``box`` (its ``pixels``, non-zero where it is) lies beside one of the
    ``found`` marks, alike (``_alike``) and within ROW_GAP of its heights, and overlaps none of
    them, or one only whose rest it is (``_rest_of``)."""
    over = [k for k, m in enumerate(found) if gap_x(m.box, box) < 0
            and min(m.box[1] + m.box[3], box[1] + box[3]) > max(m.box[1], box[1])]
    if len(over) > 1 or (over and not _rest_of(found[over[0]], box, pixels)):
        return False
    return any(_alike(m.box, box) and gap_x(m.box, box) <= ROW_GAP * m.box[3]
               for k, m in enumerate(found) if k not in over)


def _rest_of(part: Mark, box: tuple, pixels: np.ndarray) -> bool:
    """The faint mark in ``box`` is the rest of a digit whose darkest stroke alone passed the ink
    floor, ``part``, which read as another digit (a 4 whose arm, a 7 whose bar was written more
    lightly than its stem): ``part`` lies inside it (to FRAGMENT_SLACK px), and over REST_SHARE
    of its pixels lie further from the part's ink than its blurred rim (FRAGMENT_RIM of its
    height). The rim of a crisp stroke comes up at half the floor too: a 1 with it is no 4."""
    x, y, w, h = box
    px, py, pw, ph = part.box
    if px < x - FRAGMENT_SLACK or py < y - FRAGMENT_SLACK or px + pw > x + w + FRAGMENT_SLACK \
            or py + ph > y + h + FRAGMENT_SLACK:
        return False
    r = max(2, int(FRAGMENT_RIM * ph))
    if x > px - r and y > py - r and x + w < px + pw + r and y + h < py + ph + r:
        return False  # no further than the rim from the part's box all round (most faint marks: tested at once)
    near = np.zeros(pixels.shape, np.uint8)
    ax, ay = max(px, x), max(py, y)
    bx, by = min(px + pw, x + w), min(py + ph, y + h)
    near[ay - y : by - y, ax - x : bx - x] = part.ink[ay - py : by - py, ax - px : bx - px] > 0
    near = cv2.dilate(near, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    pixels = pixels > 0
    return np.count_nonzero(pixels & (near == 0)) > REST_SHARE * np.count_nonzero(pixels)


def find_marks(darkness: np.ndarray, ink: np.ndarray, grey: np.ndarray | None = None, lift: bool = True,
               shrunk_by: int = 1, least: int = 0) -> list:
    """(H, W) darkness and bool ink mask -> candidate digits, pieces of one digit merged, noise dropped.
    With ``grey``, the frame with its ink dark, the edges of a dark surface the paper estimate
    took for paper are dropped too (``edge.clutter.on_a_dark_surface``).

    Shadows and lines are not dropped with what is written on them: ink inside a shadow
    (also one joined to the table around the page) is found again against the shadow;
    ruled lines, a comb's walls, a grid across the frame and a ring drawn around the number
    are cut away from the digits that touch them (``lift``); and the search runs once more.
    ``shrunk_by``: the frame was shrunk this many times, and a shadow's fade is as many times
    fewer pixels long (``edge.clutter.is_shadow``). ``least``: px; nothing when no piece of ink
    off the frame's border is this tall, before any of the rest (no mark could be).
    """
    h, w = ink.shape
    count, labels, stats = label(ink)
    if least and not any(stats[i, 3] >= least and not touches_border(stats[i, :4], w, h) for i in range(1, count)):
        return []
    min_area = max(SPECK_LENGTH * np.sqrt(h * w), 4)
    big = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= min_area]
    shadows = shadows_among(darkness, labels, stats, big, shrunk_by)
    edges, lines = frame_edges(labels, stats, darkness)
    if lift:
        regions, lines_cut = _clutter(darkness, labels, stats, big, shadows, edges, lines, shrunk_by)
        if regions or lines_cut is not None:
            if regions:
                darkness, ink = lift_shadows(darkness, ink, regions)
            return find_marks(darkness, ink if lines_cut is None else ink & ~lines_cut, grey, False, shrunk_by)
    keep = [i for i in big if i not in edges and i not in shadows]
    keep = sorted(keep, key=lambda i: -stats[i, cv2.CC_STAT_AREA])[:MAX_PIECES]
    keep = [i for i in keep if not is_drawn_box(labels, stats[i], i) and not is_line(labels, stats, i, keep)]
    if grey is not None:
        keep = _off_dark_surfaces(grey, darkness, ink, labels, stats, keep)
    groups = _merge_pieces([tuple(stats[i, :4].tolist()) for i in keep])
    candidates = [(g, _union([b for _, b in g])) for g in groups]
    candidates = [(g, b) for g, b in candidates
                  if b[2] <= MAX_LINE_ASPECT * b[3] and not _is_blob(g, b, stats, keep, (w, h))]
    strips = [_edge_strip(b, w) for _, b in candidates]
    if not all(strips):  # alone, a strip may be a 1 that fills a tightly cropped picture
        candidates = [c for c, strip in zip(candidates, strips) if not strip]
    found = _writing(candidates, labels, keep, darkness)
    cut = [_cut_by_border(box, dark, mask, solid, (w, h)) for box, dark, mask, solid, _, _ in found]
    if any(cut) and is_drawing(darkness, labels):
        cut = [False] * len(found)  # a digit drawn to the canvas's edge is whole
    return [Mark(box, _strength(dark, mask, max(peak, solid, 1e-3)), not c, solid, _largest(group, keep, labels, stats))
            for (box, dark, mask, solid, peak, group), c in zip(found, cut)]


def _largest(group: list, keep: list, labels: np.ndarray, stats: np.ndarray):
    """(box, labels in it, label) of the largest piece of a group of several, else None: its
    pixels are picked only if the reader asks (``core_of``)."""
    if len(group) < 2:
        return None
    i = max((keep[k] for k, _ in group), key=lambda i: stats[i, cv2.CC_STAT_AREA])
    x, y, w, h = stats[i, :4].tolist()
    return (x, y, w, h), labels[y : y + h, x : x + w], i


def core_of(mark: Mark) -> Mark:
    """The largest piece of a mark merged from several, alone: the digit without a comma, a hyphen
    or a speck of shadow merged to it as if it were a 5's bar or a broken stroke. Its ink is the
    mark's, where ``_strength`` keeps it for this piece alone."""
    (x, y, w, h), labels, i = mark.core
    mx, my = mark.box[:2]
    return Mark((x, y, w, h), mark.ink[y - my : y - my + h, x - mx : x - mx + w] * _widened(labels == i),
                mark.whole, mark.solid)


def _writing(candidates: list, labels: np.ndarray, keep: list, darkness: np.ndarray) -> list:
    """Candidates -> [(box, darkness in the box, the mark's pixels, darkness of its solid stroke,
    its INK_PEAK quantile for ``_strength``)] of those that are writing: tall enough beside the
    tallest mark, and dark enough or stroke-like.

    The tallest mark sets the scale only if it is writing itself (blobs and slivers are left
    out before: a thumb holding the page is no scale). A faint piece of a shadow, or of the
    table in a corner of a chalkboard photo, is no ink; but as the tallest it made the digits
    beside it specks, and they went with it. Up to SCALE_TRIES heights are tried, tallest
    first: a frame of faint texture has many. In a photo, a mark the frame's border cuts sets
    no scale while another can, and one over CUT_TALLER times the scale is dropped: the table
    in a corner of the photo is no digit, and a digit the photo cuts would read as "?"."""
    h, w = labels.shape
    measured = {}  # candidate index -> its (box, darkness, pixels, solid darkness, peak), measured once

    def measure(k):
        if k not in measured:
            group, (x, y, bw, bh) = candidates[k]
            mask = pixels_of(labels[y : y + bh, x : x + bw], [keep[i] for i, _ in group])
            dark = darkness[y : y + bh, x : x + bw]
            measured[k] = ((x, y, bw, bh), dark, mask, *quantiles(dark[mask], (0.75, INK_PEAK)), group)
        return measured[k]

    tall = [k for k, (_, b) in enumerate(candidates) if b[3] >= MIN_MARK_PX and not is_sliver(b, w, h)]
    inside = {k for k in tall if not touches_border(candidates[k][1], w, h)}
    if not inside or (len(inside) < len(tall) and is_drawing(darkness, labels)):
        inside = set(tall)  # a drawing's digits may touch its canvas's edges
    heights = sorted({candidates[k][1][3] for k in inside}, reverse=True)[:SCALE_TRIES]
    for tallest in heights:
        found = [measure(k) for k in tall if MIN_HEIGHT_OF_TALLEST * tallest <= candidates[k][1][3]
                 and (k in inside or candidates[k][1][3] <= CUT_TALLER * tallest)]
        writing = [f[3] for f in found if f[3] >= MIN_INK]
        floor = min(MIN_INK, FAINT_SHARE * quantile(np.array(writing), 0.5)) if writing else MIN_INK
        boxes = [box for box, *_ in found]
        inked = [f for f in found if f[3] >= floor or _is_faint_stroke(*f[1:4]) or _in_a_row(f[0], f[3], boxes)]
        if any(box[3] == tallest for box, *_ in inked):
            break
    return inked if heights else []


def _off_dark_surfaces(grey, darkness, ink, labels, stats, keep: list) -> list:
    """``keep`` less the pieces that are edges of a dark surface (``on_a_dark_surface``), tested
    from the tallest down to half the height of the tallest that is not: a piece of the desk
    took a digit into its group, or made the digits beside it specks. Shorter pieces are specks
    or writing either way, but for slivers (SLIVER_PX thin): two along a page's corner made an
    L that read as "?" and left the number's line more unsure than sure."""
    surfaces, tallest = set(), 0
    for i in sorted(keep, key=lambda i: -stats[i, cv2.CC_STAT_HEIGHT]):
        x, y, w, h = stats[i, :4].tolist()
        if h < MIN_HEIGHT_OF_TALLEST * tallest and min(w, h) > SLIVER_PX:
            continue
        if on_a_dark_surface(grey, darkness, ink, (x, y, w, h), labels[y : y + h, x : x + w] == i):
            surfaces.add(i)
        else:
            tallest = max(tallest, h)
    return [i for i in keep if i not in surfaces]


def _cut_by_border(box: tuple, dark: np.ndarray, mask: np.ndarray, solid: float, frame: tuple) -> bool:
    """The frame's border cuts the mark: its box reaches a side, and there it has ink, darker
    than paper by MIN_CONTRAST (or half its solid darkness, if fainter). The ink mask is
    denoised by a 3x3 blur, which carries a stroke that ends a pixel short of the side on to
    it over bare paper (the digit of a 28x28 MNIST image)."""
    if not touches_border(box, *frame):
        return False
    x, y, bw, bh = box
    sides = [(dark[:, i], mask[:, i]) for i, on in ((0, x == 0), (-1, x + bw == frame[0])) if on]
    sides += [(dark[i], mask[i]) for i, on in ((0, y == 0), (-1, y + bh == frame[1])) if on]
    ink = min(MIN_CONTRAST, 0.5 * solid)
    return any(np.any(d[m] >= ink) for d, m in sides)


def _edge_strip(box: tuple, w: int) -> bool:
    """A narrow strip along the frame's left or right side: a piece of the wall or the table
    beside a board or a page, no digit, and no scale for the writing either (digits under half
    its height would be dropped as specks). A mast standing on the bottom side is no such strip,
    nor is a 1 from side to side of a picture cropped to it."""
    x, _, bw, bh = box
    return (x == 0) != (x + bw == w) and bw < EDGE_STRIP * bh


def _is_blob(group: list, box: tuple, stats: np.ndarray, keep: list, frame: tuple) -> bool:
    """A roundish mark whose ink fills more than MAX_FILL of its box (a blot, a dark object), or
    CUT_BLOB_FILL where the photo's edge cuts it (a thumb holding the page): not a stroke. A
    digit cut by the edge would only read as "?". Its pieces' areas tell, without their pixels."""
    _, _, w, h = box
    if w <= 0.4 * h or h <= 2 * MIN_MARK_PX:
        return False
    fill = CUT_BLOB_FILL if touches_border(box, *frame) else MAX_FILL
    return sum(int(stats[keep[i], cv2.CC_STAT_AREA]) for i, _ in group) > fill * w * h


def _clutter(darkness, labels, stats, big: list, shadows: list, edges: set, lines: set, shrunk_by: int = 1) -> tuple:
    """What to take away before the search runs again: the shadows to flatten (one joined to the
    table around the page too), as ((x, y, w, h), region) pairs, and a mask of the lines to cut
    (ruled lines and underlines, a comb's walls, a grid across the frame or on the page, the lines
    of a page that run into the table, a ring drawn around the number), or None."""
    h, w = labels.shape
    inside = [i for i in big if i not in shadows and i not in edges]
    cut = _either(find_rules(labels, stats, inside), grid_lines(labels, stats, lines))
    around = [i for i in rings(labels, stats, inside)
              if not _all_lines(cut, labels, stats, i)]  # a comb's lines and walls come off cleanly
    if around:
        cut = _either(cut, pixels_of(labels, around))
    cut = _either(cut, lines_on_the_page(labels, stats, inside))
    tables = [i for i in edges - set(shadows) if stats[i, cv2.CC_STAT_AREA] > RULE_MAX_AREA * h * w]
    joined, table_lines = on_the_table(darkness, labels, stats, tables, shrunk_by)
    return [_region(labels, stats, i) for i in shadows] + joined, _either(cut, table_lines)


def _either(a, b):
    """The union of two masks, either of which may be None (nothing found)."""
    return b if a is None else a if b is None else a | b


def _all_lines(rules, labels: np.ndarray, stats: np.ndarray, i: int) -> bool:
    """Component ``i`` is (nearly) all straight lines that ``rules`` cuts away: a printed comb,
    whose lines come off and leave a digit that touches them, where a hand-drawn ring goes whole."""
    if rules is None:
        return False
    (x, y, w, h), mask = _region(labels, stats, i)
    return rules[y : y + h, x : x + w][mask].mean() >= ALL_LINES


def _region(labels: np.ndarray, stats: np.ndarray, i: int) -> tuple:
    """Component ``i`` as ((x, y, w, h), its pixels in that box)."""
    x, y, w, h = stats[i, :4].tolist()
    return (x, y, w, h), labels[y : y + h, x : x + w] == i


def _is_faint_stroke(darkness: np.ndarray, mask: np.ndarray, solid: float) -> bool:
    """Light pencil rather than a stain, a texture or a faint ruled line: a digit's stroke width
    (MNIST's range) and the steep edge of a stroke, where the steepest tenth of the edge climbs
    CRISP_EDGE of the mark's darkness per pixel (a texture's climbs about 0.12)."""
    if solid < FAINT_FLOOR or stroke_width(mask) < STROKE_RANGE[0] * max(mask.shape):
        return False
    return quantile(edge_slope(darkness)[mask], 0.9) >= CRISP_EDGE * solid


def _in_a_row(box: tuple, solid: float, boxes: list) -> bool:
    """Light pencil written as a number: a faint mark with at least ROW_OF - 1 others of about its
    height on its line, the nearest within ROW_GAP heights. Stains and texture do not line up as
    a row of equal marks; the fainter the marks (under ROW_FLOOR), the longer the row must be.
    A piece of the board's frame far along the line of a number is not one of its row."""
    if solid < FAINT_FLOOR:
        return False
    alike = [b for b in boxes if _alike(box, b)]
    gaps = [gap_x(b, box) for b in alike if b != box]
    near = bool(gaps) and min(gaps) <= ROW_GAP * box[3]
    return near and len(alike) >= (ROW_OF if solid >= ROW_FLOOR else ROW_OF + 1)  # itself included


def _alike(box: tuple, other: tuple) -> bool:
    """``other`` is of about the height of ``box`` (0.7-1.4 times) and on its line (centres less
    than half its height apart): the next digit of a number, as written."""
    h = box[3]
    return abs(other[1] + other[3] / 2 - box[1] - h / 2) < 0.5 * h and 0.7 * h <= other[3] <= 1.4 * h


def row_of(boxes: list, chosen) -> list:
    """The indices ``chosen`` of (x, y, w, h) ``boxes`` and those of the boxes that carry on their
    rows, sorted: ``_alike`` one of them and within ROW_STEP of its heights, and on from each box
    added. A row photographed at a slant shrinks into the distance, a step at a time; a printed
    label's capitals beside a number (0.65 of the digits' height or less) are no such step."""
    found, todo = set(chosen), list(chosen)
    while todo:
        big = boxes[todo.pop()]
        for k, box in enumerate(boxes):
            if k not in found and _alike(big, box) and gap_x(big, box) <= ROW_STEP * big[3]:
                found.add(k)
                todo.append(k)
    return sorted(found)


def _strength(darkness: np.ndarray, mask: np.ndarray, peak: float) -> np.ndarray:
    """A mark's darkness scaled so its darkest strokes are 1 (``peak``: the INK_PEAK quantile of
    its darkness, never under the solid stroke's): faint pencil and black marker look alike.

    Scaled to the solid stroke alone (the 0.75 quantile), a small blurred digit came out a
    plateau: the lighter gaps inside its loops rose to full ink, and an 8 read as a blob
    (six seeds: 1,688 -> 1,694 of 1,800 strings; 0.9 / 0.95 / 1.0: 1,690 / 1,692 / 1,695,
    non-digits read with confidence 31 -> 32 / 33 / 34 of 800, 33 at 0.98). The mask is
    widened by a pixel to keep the soft edges; other marks in the box stay out.
    """
    out = darkness / peak  # darkness is never below 0
    np.minimum(out, 1.0, out=out)
    out *= _widened(mask)
    return out


def _widened(mask: np.ndarray) -> np.ndarray:
    """A mark's pixels and those beside them: its soft anti-aliased edge."""
    return cv2.dilate(as_uint8(mask), np.ones((3, 3), np.uint8)).view(bool)


def _merge_pieces(boxes: list) -> list:
    """Group the pieces of one digit: the bar of a 5, a broken 7, a dotted stroke.

    Merged in the order of a scan that starts over after each merge (the first pair that
    belongs together, row by row), without rescanning what cannot have changed: before the
    row of a merge every pair was apart, and only the group that grew may now join an earlier
    one or a later one. A frame of noise has hundreds of pieces: a 640x480 one of uniform
    noise read in 0.32 s starting over from the first row, 0.18 s now (the same groups)."""
    groups, spans = [[(i, b)] for i, b in enumerate(boxes)], list(boxes)  # spans: each group's box
    a = 0
    while a < len(groups):
        b = next((b for b in range(a + 1, len(groups)) if _belong_together(spans[a], spans[b])), None)
        if b is None:
            a += 1
            continue
        groups[a] += groups.pop(b)
        spans[a] = _union([spans[a], spans.pop(b)])
        while (i := next((i for i in range(a) if _belong_together(spans[i], spans[a])), None)) is not None:
            groups[i] += groups.pop(a)  # an earlier group takes the one that grew, and grows
            spans[i] = _union([spans[i], spans.pop(a)])
            a = i
    return groups


def _belong_together(p, q) -> bool:
    """Stacked pieces that overlap mostly in x (at all, where one lies wholly above the other)
    or follow each other down, or a small piece right next to a bigger one.

    Wholly above the other: a 1 whose pen lifted halfway and came down a little to its left,
    a dash and a dot, each too short beside the number's digits, went from the number (six
    seeds never tuned on 1,671 -> 1,673 of 1,800; notebook pages 110 -> 111 of 120; the six
    seeds, touching digits, forms, desks, non-digit images and printed words as before).
    Following down: the halves of a steep stroke that broke (a lifted mouse, a pencil gone
    light) lie one below the other, no further apart across than down, and at least one of
    them is narrow. Side by side they barely overlap, and a 1 read as "1 1". Digits next to
    each other on a page turned 40 degrees lie the same way, but neither is narrow there."""
    across = gap_x(p, q)
    down = max(p[1], q[1]) - min(p[1] + p[3], q[1] + q[3])
    taller = max(p[3], q[3])
    steep = min(p[2] / p[3], q[2] / q[3]) <= STEEP_STROKE
    follows = steep and 0 <= down and across <= min(down, MERGE_GAP * taller)
    overlaps = -across >= 0.6 * min(p[2], q[2]) or (across < 0 and down >= 0)
    if (overlaps or follows) and down <= 0.25 * taller:
        return True
    small = min(p[3], q[3]) < 0.5 * taller and min(p[2], q[2]) < 0.8 * max(p[2], q[2])
    return small and max(across, down) <= MERGE_GAP * taller


def gap_x(p, q) -> int:
    """Pixels between two (x, y, w, h) boxes across the frame; negative where they overlap."""
    return max(p[0], q[0]) - min(p[0] + p[2], q[0] + q[2])


def _union(boxes: list) -> tuple:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def cut_sets(mark: Mark, n: int) -> list:
    """Where a wide mark may be cut into ``n`` touching digits: tuples of n - 1 columns, left to
    right; [] when it is not wide enough to hold ``n``.

    Digits written touching ("00", "12", the "000" of a price) make one mark, and its pieces
    read as digits only where it is cut between them; the reader tries each set
    (``edge.reader._cut_apart``). Two digits meet at a narrow place of the ink across the
    columns: the thinnest column near the middle, or any local minimum (thinnest first,
    PIECE_GAP heights apart, MAX_CUTS in all), where a narrow digit meets a wide one or one
    digit's stroke runs into the next; never across the inside of a loop (the left of a 6's
    loop read as a 1 beside the rest). Three or four are cut at the thinnest column near each
    n-th of the width only, each through ink: tried at every narrow place, the legs of a
    printed m or n read as 1s (pages of printed words read as numbers: 9 -> 22 of 200), and
    where a column is clear the mark was merged from separate pieces (the rings and slash of
    a % beside a letter), not written as touching digits.
    """
    h, w = mark.ink.shape
    if w < SPLIT_ASPECT * h or w < n * MIN_SPLIT_WIDTH * h:
        return []
    solid = mark.ink > 0.5
    columns = solid.sum(axis=0)
    cuts = [0]
    for k in range(1, n):
        lo, hi = max(cuts[-1] + 1, int((k - 0.4) * w / n)), min(int((k + 0.4) * w / n), w - 1)
        if hi <= lo:
            return []  # a few pixels wide: no room for the cut
        cuts.append(lo + int(np.argmin(columns[lo:hi])))
    if n > 2:
        return [tuple(cuts[1:])] if columns[cuts[1:]].all() else []
    smooth = np.convolve(columns, np.ones(3) / 3, mode="same")
    gap = PIECE_GAP * h
    lo, hi = max(1, int(gap)), min(w - 1, w - int(gap))
    inner = smooth[lo:hi]
    narrow = np.flatnonzero((inner <= smooth[lo - 1 : hi - 1]) & (inner <= smooth[lo + 1 : hi + 1])) + lo
    for c in narrow[np.lexsort((np.abs(narrow - w / 2), smooth[narrow]))].tolist():  # thinnest, then central
        if len(cuts) > MAX_CUTS:
            break
        if all(abs(c - other) >= gap for other in cuts[1:]):
            cuts.append(c)
    in_a_loop = (~solid & ~on_the_rim(~solid)).any(axis=0)
    return [(c,) for c in sorted(cuts[1:]) if not in_a_loop[c]]


def piece_of(mark: Mark, a: int, b: int):
    """The part of ``mark`` between its columns ``a`` and ``b``, trimmed to its ink, or None when
    it cannot be one of touching digits: no ink, under PIECE_HEIGHT of the mark's height (a
    sliver of a stroke), or over PIECE_ASPECT of its own height wide (a scribble's tail). Where
    no solid ink crosses either end, the piece stood apart but for the blur between, and may be
    as wide as APART_ASPECT: two slanted 0s on a notebook's line, "00" read as "?" (notebook
    pages 109 -> 110 of 120; the six seeds, touching digits and non-digit images as before)."""
    ink = mark.ink[:, a:b]
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    widest = APART_ASPECT if _clear_at(mark, a) and _clear_at(mark, b) else PIECE_ASPECT
    if y1 - y0 < PIECE_HEIGHT * mark.ink.shape[0] or x1 - x0 > widest * (y1 - y0):
        return None
    x, y = mark.box[:2]
    return Mark((x + a + x0, y + y0, x1 - x0, y1 - y0), ink[y0:y1, x0:x1], mark.whole, mark.solid)


def _clear_at(mark: Mark, c: int) -> bool:
    """No solid ink crosses from column c - 1 of ``mark`` to column c: one of them has none, or
    c is an edge of the mark."""
    return c in (0, mark.ink.shape[1]) or not (mark.ink[:, c - 1 : c + 1] > 0.5).any(axis=0).all()


def stroke_pairs(marks: list) -> list:
    """(i, j) of marks that may be two strokes of one digit, nearest first: side by side at most
    JOIN_GAP of the taller's height apart, their heights overlapping, the shorter at most
    JOIN_SHORTER of the taller and hanging clear of the line the taller stands on, as a 4's arm
    beside its stem or a 9's loop beside its stem (the digits of a number share that line)."""
    heights = [m.box[3] for m in marks]
    if len(marks) < 2 or min(heights) > JOIN_SHORTER * max(heights):  # a number's digits, as a rule
        return []
    b = np.array([m.box for m in marks], float)
    x0, y0, x1, y1 = b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    taller, shorter = np.maximum.outer(b[:, 3], b[:, 3]), np.minimum.outer(b[:, 3], b[:, 3])
    gap = np.maximum.outer(x0, x0) - np.minimum.outer(x1, x1)
    overlap = np.minimum.outer(y1, y1) - np.maximum.outer(y0, y0)
    hangs = np.abs(np.subtract.outer(y1, y1)) >= JOIN_LIFT * taller
    ok = (gap <= JOIN_GAP * taller) & (shorter <= JOIN_SHORTER * taller) & (overlap >= 0.3 * shorter) & hangs
    i, j = np.nonzero(np.triu(ok, 1))
    order = np.argsort(gap[i, j], kind="stable")
    return [(int(i[k]), int(j[k])) for k in order]


def joined(a: Mark, b: Mark) -> Mark:
    """One mark of two: the union of their boxes, each one's ink where it lies."""
    box = _union([a.box, b.box])
    ink = np.zeros((box[3], box[2]), np.float32)
    for m in (a, b):
        x, y, w, h = m.box[0] - box[0], m.box[1] - box[1], m.box[2], m.box[3]
        np.maximum(ink[y : y + h, x : x + w], m.ink, out=ink[y : y + h, x : x + w])
    return Mark(box, ink, a.whole and b.whole, max(a.solid, b.solid))
