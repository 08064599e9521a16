"""Frame -> ink: greyscale, the paper's light flattened out, ink split from paper.

    python -m edge read photo.jpg --debug-dir artifacts/debug   # shows what was found

Pure functions, arrays in and arrays out. The darkness map keeps the anti-aliased
edges that MNIST digits have; the mask says where ink is.
"""

import cv2
import numpy as np

from edge.labels import label_pixels, on_the_rim, rim

BACKGROUND_SCALE = 16  # the paper's brightness is estimated on a frame this many times smaller
PAPER_KERNEL = 4  # the paper estimate ignores dark marks narrower than 1/PAPER_KERNEL of the frame
UNDER_KERNEL = 2  # under a thick mark that fills the frame it is estimated with a kernel this much wider...
UNDER_LIFT = 0.14  # ...where that comes out this share brighter (the hollow of the mark's strokes)...
UNDER_INK = 0.45  # ...on what is this much darker than it at 1/16 size: the strokes, not a shadow
STEEP_EDGE = 0.3  # where the paper falls by this share within 16 px (a deep shadow's edge)...
FINE_SCALE = 8  # ...it is estimated on a frame this many times smaller (160 photos of numbers beside and
# under shadows 30-75% deep: 138 read right without, 151 / 145 with 0.3 / 0.4; 1,800 generated strings the same)
POLARITY_QUANTILES = (0.001, 0.5, 0.999)  # the darkest pixels, the background, the lightest
FLAT_GROUND = 0.5  # a frame where one grey level covers this share is a drawing on a plain ground...
TWO_TONE = 0.9  # ...or where two cover this share (a brush so thick that its digit covers half the canvas);
EVEN_LEVELS = 0.5  # where the second covers this share of what the first does, the border tells the ground
PAGE_AREA = 0.25  # a page on a desk covers at least this share of the frame...
PAGE_SOLID = 0.9  # ...and of its convex hull...
PAGE_PAPER = 0.8  # ...and is paper over this share of it (the rest: what is written on it)
DIM_PAPER_TAIL = 40  # grey levels: on dim paper the darkest pixels (ink) lie at least this far below the paper...
DARK_TAIL_RATIO = 1.0  # ...and further below it than the lightest pixels lie above it (1.5 took dim paper
# lit from one side for a board: the bright side made the longer tail; measured on lamp-lit test pages)
MIN_CONTRAST = 0.14  # ink is at least this much darker than the paper around it (fraction)
MIN_INK = 0.25  # a written stroke darkens the paper by at least this much where solid; fainter marks are
# grain, stains or texture (measured: digits' strokes 0.31 and up, 99.5% of them; texture blobs 0.2 and under)
SURROUND_BORDER = 0.1  # past this share of the frame's border in ink, a table or floor shows around the page
FAINT_GROWTH = 0.7  # faint ink grows over the pixels it touches down to this share of the ink floor...
DARK_INK = 2.0  # ...unless DARK_SHARE of its ink is darker than this many floors: a pen, not light pencil
DARK_SHARE = 0.25  # (pencil pressed hard in one spot stays light: measured, a dot is a tenth of a digit's ink)


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
    longer than the light tail of a lamp's bright side; chalk on a board or a Paint
    canvas has no such dark tail. And a page photographed from further off lies on a
    dark desk that may be most of the frame: then the page decides (``_page_on_a_desk``).
    A drawing says it plainly: its ink is what is not its ground (``drawing_ink``).
    """
    drawn = drawing_ink(grey)
    if drawn is not None:
        return drawn == "light"
    if not _dark_ground(grey[::2, ::2]):  # a quarter is enough
        return False
    page = _page_on_a_desk(grey)
    return page is None or _dark_ground(page)


def ink_colour(grey: np.ndarray, polarity: str = "auto") -> str:
    """``polarity`` as "light" or "dark", "auto" decided on this frame (``ink_is_light``). The
    reader decides once for all the searches of a frame (at half size, at full size, again with
    the paper under big marks estimated wider): they look for ink of one colour, and deciding
    took 0.17 ms of each full-size search of a 640x480 frame (the bench's frames: 0.986 times
    the time, every reading the same; the six seeds and non-digit images too)."""
    if polarity == "auto":
        return "light" if ink_is_light(grey) else "dark"
    return polarity


def _dark_ground(pixels: np.ndarray) -> bool:
    """The ground of these pixels is dark and not dim paper (``ink_is_light``)."""
    if np.count_nonzero(pixels < 128) < 0.5 * pixels.size:
        return False  # the median is light (most frames: counted 2x faster than the histogram is taken)
    counts = cv2.calcHist([pixels.reshape(pixels.shape[0], -1)], [0], None, [256], [0, 256]).ravel().cumsum()
    low, median, high = (int(np.searchsorted(counts, q * counts[-1])) for q in POLARITY_QUANTILES)
    if median >= 128:
        return False
    dark_tail, light_tail = median - low, high - median
    return not (dark_tail >= DIM_PAPER_TAIL and dark_tail > DARK_TAIL_RATIO * light_tail)


def _page_on_a_desk(grey: np.ndarray):
    """The pixels (1-D, a 1/16 sample) of a page photographed on a dark desk, or None.

    The page is the largest region inside the dark surround (what of Otsu's dark class on a
    sample touches the frame's border): a quarter of the frame at least, PAGE_SOLID of its convex
    hull (a page is a quadrilateral; a thick digit drawn white on black has bays between its
    strokes) and PAGE_PAPER of it light (a 0's hole is dark). A drawing on a plain ground is
    no photo of a desk: ``ink_is_light`` asks ``drawing_ink`` first. 120 photos of a page
    covering about half the frame: 96 -> 101 read right; 1,800 generated strings, chalk
    boards and white-on-black drawings among them, the same."""
    sample = np.ascontiguousarray(grey[::4, ::4])
    _, dark = cv2.threshold(sample, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    border = rim(dark)
    if np.count_nonzero(border) < SURROUND_BORDER * border.size:
        return None
    inside = (~on_the_rim(dark)).view(np.uint8)
    outlines, _ = cv2.findContours(inside, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not outlines:
        return None
    page = max(outlines, key=cv2.contourArea)
    filled = cv2.drawContours(np.zeros_like(inside), [page], -1, 1, cv2.FILLED).view(bool)
    area = np.count_nonzero(filled)
    if area < PAGE_AREA * sample.size or area < PAGE_SOLID * cv2.contourArea(cv2.convexHull(page)):
        return None
    return sample[filled] if np.count_nonzero(filled & (dark == 0)) >= PAGE_PAPER * area else None


def drawing_ink(grey: np.ndarray):
    """"light" or "dark": the colour of a drawing's ink against its ground; None for a photo.

    A paint program's ground is one exact level over most of the canvas (FLAT_GROUND); a
    camera's noise spreads it over many. A brush so wide that the digit covers as much of the
    canvas as the ground leaves two exact levels (TWO_TONE) about as common (EVEN_LEVELS), and
    the ground is the one along the canvas's border; a page far commoner than what surrounds
    it (a desk, a scan's dark edge) is the ground. By the commonest level alone, a thick black
    3 on white was white ink on black, and the digit was lost (generated strings read right:
    the six seeds 1,692 -> 1,694 of 1,800, six seeds never looked at before 1,654 -> 1,658;
    non-digit images and the shadow, desk, form, grid, marker and pencil sets the same)."""
    sample = grey[::4, ::4]
    counts = cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel()
    total = sample.size
    if counts.max() < min(FLAT_GROUND, TWO_TONE / 2) * total:
        return None  # nor can two levels reach TWO_TONE (a photo's commonest covers a few percent)
    order = np.argsort(counts)
    ground, other = int(order[-1]), int(order[-2])
    if counts[ground] < FLAT_GROUND * total and counts[ground] + counts[other] < TWO_TONE * total:
        return None
    border = rim(sample)
    even = counts[other] >= EVEN_LEVELS * counts[ground]
    if even and np.count_nonzero(border == other) > np.count_nonzero(border == ground):
        ground = other
    mean = float(sample.mean())
    return "light" if mean > ground or (mean == ground and ground < 128) else "dark"  # blank: by its ground


def ink_map(grey: np.ndarray, polarity: str = "auto") -> tuple:
    """(H, W) uint8 -> ((H, W) float32 darkness in [0, 1] against the paper, (H, W) bool ink mask)."""
    darkness, dark8, floor, _ = ink_levels(grey, polarity)
    return darkness, dark8 > floor  # x > t is x > floor(t) for whole grey levels, and against a
    # float NumPy would compare in float64, 10x slower


def ink_levels(grey: np.ndarray, polarity: str = "auto", under: list | None = None, shrunk_by: int = 1):
    """(H, W) uint8 -> ((H, W) float32 darkness in [0, 1] against the paper, (H, W) uint8
    darkness denoised, the ink floor, (H, W) uint8 the frame with its ink dark): ink is where
    the denoised darkness passes the floor.

    The paper's brightness is estimated by a grey closing on a small copy (the ink
    disappears, shadows and gradients stay); dividing by it flattens the light. Otsu
    then splits ink from paper, with a minimum contrast so a blank page stays blank.
    The darkness keeps the anti-aliased edges that MNIST digits have.

    ``under``: boxes (x, y, w, h) of big marks that a first search found; the levels
    again with the paper under them estimated wider (``_wider_under``), or None when that
    changes nothing. ``shrunk_by``: ``grey`` is the frame shrunk this many times; the paper
    is estimated on the frame's grid all the same (the reader searches a 640x480 frame at
    half size first: on a grid twice as coarse, 18 of 240 big marker numbers read wrong).
    """
    light = ink_colour(grey, polarity) == "light"
    img = cv2.bitwise_not(grey) if light else grey
    paper = _paper(img, under or (), shrunk_by)
    if paper is None:
        return None
    dark8 = cv2.bitwise_not(cv2.divide(img, paper, scale=255))  # 255 - ink / paper, saturated
    darkness = dark8.astype(np.float32)
    darkness *= np.float32(1 / 255)
    dark8 = cv2.GaussianBlur(dark8, (3, 3), 0)  # denoised, for the mask only
    return darkness, dark8, int(max(_ink_threshold(dark8), MIN_CONTRAST * 255)), img


def grow_faint(dark8: np.ndarray, floor: int) -> np.ndarray:
    """The ink mask of ``ink_levels`` with faint strokes completed: hysteresis, as in Canny's
    edge finder.

    Light pencil lies about at the ink floor, so its strokes break into specks that are
    too small or too broken to read. Pixels down to FAINT_GROWTH of the floor join the
    ink they touch, where that ink is faint (less than DARK_SHARE of it over DARK_INK
    floors) and stays off the frame's border: a pen's blurred edge would fatten its
    strokes and join them to the next digit, and ruled lines, a margin or the table would
    grow into the writing. Faint specks of paper grain grow too, but stay grain-sized.
    """
    ink = dark8 > floor
    labels = label_pixels(dark8 > int(FAINT_GROWTH * floor))
    n = int(labels.max()) + 1
    inked = np.bincount(labels[ink], minlength=n)
    dark = np.bincount(labels[dark8 > int(DARK_INK * floor)], minlength=n)
    grows = (inked > 0) & (dark <= DARK_SHARE * inked)
    grows[rim(labels)] = False
    grows[0] = False
    return ink | grows[labels]


def _ink_threshold(dark8: np.ndarray) -> float:
    """Otsu's split of paper and ink, leaving out the table or floor around the page.

    Where the page does not fill the frame, its dark surround is a third, darker mode
    that drags Otsu's split up between it and everything else, and faint pencil falls
    apart. The surround is what touches the frame's border; a 1/16 sample finds it.
    """
    sample = dark8[::4, ::4]
    otsu, mask = cv2.threshold(sample, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = rim(mask)
    if np.count_nonzero(border) < SURROUND_BORDER * border.size:
        return otsu
    inside = ~on_the_rim(mask)
    inside = cv2.erode(inside.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)  # not the page's edge either
    if inside.mean() < 0.25:
        return otsu
    otsu, _ = cv2.threshold(sample[inside].reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return otsu


def _paper(img: np.ndarray, under=(), shrunk_by: int = 1):
    """(H, W) uint8 dark-ink image -> (H, W) uint8 estimate of the paper brightness under it;
    with ``under`` (boxes of big marks), None when they change nothing.

    A deep shadow (a phone over the page under a lamp) has an edge steeper than the estimate
    on the small copy follows: the estimate lags inside the edge, and the edge's inner rim
    stands out as ink, read as 1s at the ends of the number (`239` as `12391`). Where the
    paper falls steeply (``_steep``), it is estimated on a copy FINE_SCALE times smaller."""
    h, w = img.shape
    small = _smaller(img, BACKGROUND_SCALE // shrunk_by)
    closed = _closed(small, PAPER_KERNEL)  # wider than a stroke, narrower than a shadow
    wider = _closed(small, PAPER_KERNEL // UNDER_KERNEL)  # wider than a marker's stroke too
    if under:
        fx, fy = small.shape[1] / w, small.shape[0] / h
        closed = _wider_under(small, closed, wider, [(x * fx, y * fy, bw * fx, bh * fy) for x, y, bw, bh in under])
        if closed is None:
            return None
    paper = cv2.resize(closed, (w, h), interpolation=cv2.INTER_LINEAR)
    steep = _steep(wider)
    if steep.any():
        fine = _closed(_smaller(img, FINE_SCALE // shrunk_by), PAPER_KERNEL)
        fine = cv2.resize(fine, (w, h), interpolation=cv2.INTER_LINEAR)
        zone = cv2.resize(steep.view(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).view(bool)
        paper[zone] = fine[zone]
    return paper


def _smaller(img: np.ndarray, scale: int) -> np.ndarray:
    """The image ``scale`` times smaller, by area."""
    h, w = img.shape
    return cv2.resize(img, (max(w // scale, 1), max(h // scale, 1)), interpolation=cv2.INTER_AREA)


def _steep(level: np.ndarray) -> np.ndarray:
    """Where a paper estimate on the small copy falls by STEEP_EDGE of its brightness within a
    pixel: a deep shadow's edge. Taken on the estimate no marker's stroke reaches: a thick
    stroke is as steep, and the finer estimate follows it in, so that it turns hollow (240
    photos of big marker numbers: 183 read right with the usual estimate taken, 188 with this)."""
    low, high = cv2.minMaxLoc(level)[:2]
    if low >= (1 - STEEP_EDGE + 0.01) * high:  # no fall that steep anywhere (0.01 for float32's rounding):
        return np.zeros(level.shape, bool)  # the paper of most frames (142 of 147 estimates in the bench)
    k = np.ones((3, 3), np.uint8)
    top = cv2.dilate(level, k).astype(np.float32)
    return top - cv2.erode(level, k) > STEEP_EDGE * np.maximum(top, 1)


def _closed(small: np.ndarray, share: int) -> np.ndarray:
    """A grey closing of the small copy with a round kernel 1/``share`` of its shorter side."""
    k = max(3, (min(small.shape) // share) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    return cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)


def _wider_under(small: np.ndarray, closed: np.ndarray, wider: np.ndarray, boxes: list):
    """The closed paper estimate, taken from a closing UNDER_KERNEL times wider on the thick
    strokes of the marks in ``boxes`` where that is brighter by UNDER_LIFT, or None where
    nothing is.

    A thick marker's digit that fills the frame has strokes as wide as the usual kernel, and
    the paper under them comes out dark: the strokes turn hollow (a 3 read as 8) or fade. The
    wider kernel sees past them. It sees past a shadow too, so only the strokes take it: the
    small copy's pixels UNDER_INK darker than the wider estimate, which a shadow is not, and
    the pixels around them (a 7 in a band of shadow lost its foot when its whole box did)."""
    wide = wider.astype(np.float32)
    strokes = (small <= (1 - UNDER_INK) * wide) & (wide * (1 - UNDER_LIFT) > closed)
    strokes = cv2.dilate(strokes.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool)
    within = np.zeros(small.shape, bool)
    for x, y, bw, bh in boxes:
        within[int(y) : int(np.ceil(y + bh)), int(x) : int(np.ceil(x + bw))] = True
    lifted = strokes & within & (wider > closed)
    return np.where(lifted, wider, closed) if lifted.any() else None
