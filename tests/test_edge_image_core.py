"""The image core on frames with a known answer: boxes, 28x28 crops, polarity, stroke width, noise."""

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from edge.clutter import is_shadow, lift_shadows, on_a_dark_surface, on_the_table, shadows_among
from edge.ink import drawing_ink, grow_faint, ink_is_light, ink_levels, ink_map, to_grey
from edge.labels import label, label_pixels, on_the_rim, pixels_of, rim
from edge.marks import (
    APART_ASPECT,
    MAX_CUTS,
    PIECE_ASPECT,
    PIECE_HEIGHT,
    ROW_FLOOR,
    SPLIT_ASPECT,
    Mark,
    _belong_together,
    _merge_pieces,
    _union,
    core_of,
    cut_sets,
    find_marks,
    find_writing,
    piece_of,
)
from edge.normalise import STROKE_RANGE, _even_stroke, normalise, stroke_width
from tests import synth


def _paper_with_digit(digit28, x, y, height, shape=(480, 640), ink=30, paper=215):
    """Paste an MNIST digit, scaled to ``height`` px, as dark ink on paper at (x, y)."""
    frame = np.full(shape, paper, np.float32)
    alpha = cv2.resize(digit28, (height, height), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
    alpha = np.clip(alpha, 0, 1)
    frame[y : y + height, x : x + height] = frame[y : y + height, x : x + height] * (1 - alpha) + ink * alpha
    return frame.astype(np.uint8)


def _marks(frame, polarity="auto"):
    return find_writing(to_grey(frame), polarity)


def test_one_digit_on_paper_gives_one_box_where_it_was_drawn(mnist):
    digit = mnist.test.x[0]  # a 7
    ys, xs = np.nonzero(digit > 64)
    frame = _paper_with_digit(digit, 200, 100, 140)
    marks = _marks(frame)
    assert len(marks) == 1
    x, y, w, h = marks[0].box
    scale = 140 / 28
    assert abs(y - (100 + ys.min() * scale)) < 8 and abs(h - (np.ptp(ys) + 1) * scale) < 12
    assert abs(x - (200 + xs.min() * scale)) < 8


def test_crop_is_centred_by_mass_with_a_20_pixel_longer_side(mnist):
    crop = normalise(_marks(_paper_with_digit(mnist.test.x[1], 50, 60, 200))[0].ink)
    assert crop.shape == (28, 28) and crop.dtype == np.uint8
    m = cv2.moments(crop.astype(np.float32))
    assert abs(m["m10"] / m["m00"] - 13.5) < 1.0 and abs(m["m01"] / m["m00"] - 13.5) < 1.0
    rows, cols = np.nonzero(crop.max(1) > 0)[0], np.nonzero(crop.max(0) > 0)[0]
    assert 19 <= max(np.ptp(rows), np.ptp(cols)) + 1 <= 21


def test_shadow_across_the_page_does_not_become_ink(mnist):
    frame = _paper_with_digit(mnist.test.x[2], 300, 150, 120).astype(np.float32)
    frame[:, :200] *= 0.45  # a hard shadow over the left third
    frame *= np.linspace(0.8, 1.1, 640)[None, :]  # and a brightness gradient
    marks = _marks(np.clip(frame, 0, 255).astype(np.uint8))
    assert len(marks) == 1 and 300 < marks[0].box[0] < 400  # the digit, not the shadow edge at x=200


def test_the_paper_of_a_frame_searched_at_half_size_is_estimated_on_the_frames_own_grid(mnist):
    # The reader searches a 640x480 frame at half size first. Estimated on a grid twice as coarse,
    # the paper under a deep shadow's edge and under thick marker strokes came out otherwise.
    for i in range(3):
        frame = to_grey(synth.shadow_sample(np.random.default_rng([99, i]), mnist.test.x, mnist.test.y, 0.75,
                                            over=i % 2 == 0).image)
        half = cv2.resize(frame, (320, 240), interpolation=cv2.INTER_AREA)
        at_full = cv2.resize(ink_levels(frame)[0], (320, 240), interpolation=cv2.INTER_AREA)
        off = [float(np.abs(ink_levels(half, shrunk_by=k)[0] - at_full).mean()) for k in (1, 2)]
        assert off[1] < 0.004 and off[0] > 2 * off[1], off  # measured 0.0011-0.0014; on the coarse grid 0.008-0.016


def test_a_search_for_marks_of_a_least_height_gives_up_at_once_on_shorter_ink(mnist):
    # The reader's half-size search is thrown away unless its marks are tall enough; where no
    # piece of ink is, it stops after labelling and the frame is searched at full size.
    frame = np.minimum(_paper_with_digit(mnist.test.x[0], 100, 100, 40),
                       _paper_with_digit(mnist.test.x[1], 300, 90, 60))
    boxes = [m.box for m in find_writing(frame)]
    assert len(boxes) == 2 and [m.box for m in find_writing(frame, least=40)] == boxes
    assert find_writing(frame, least=max(b[3] for b in boxes) + 3) == []


def _merged_by_starting_over(boxes: list) -> list:
    """The pieces' groups as a plain scan makes them: the first pair that belongs together,
    row by row, merged, and the scan started over (what edge.marks._merge_pieces must give)."""
    groups, spans = [[(i, b)] for i, b in enumerate(boxes)], list(boxes)
    while pair := next(((a, b) for a in range(len(groups)) for b in range(a + 1, len(groups))
                        if _belong_together(spans[a], spans[b])), None):
        a, b = pair
        groups[a] += groups.pop(b)
        spans[a] = _union([spans[a], spans.pop(b)])
    return groups


def test_pieces_merge_as_a_scan_that_starts_over_would_merge_them():
    # _merge_pieces skips what a scan starting over after each merge would test again in vain;
    # the groups, and the order of the pieces in them, must be the same.
    rng = np.random.default_rng(5)
    for trial in range(400):
        n, side = int(rng.integers(2, 40 if trial % 10 else 150)), int(rng.integers(60, 400))
        boxes = [(int(rng.integers(0, side)), int(rng.integers(0, side)), int(rng.integers(1, 30)),
                  int(rng.integers(1, 50))) for _ in range(n)]
        assert _merge_pieces(boxes) == _merged_by_starting_over(boxes), boxes


def test_faint_pencil_on_a_page_with_the_table_around_it(mnist):
    # The dark table is a third, darker mode; Otsu over the whole frame splits it from the
    # page and the pencil (contrast 0.35) falls apart into specks.
    frame = np.full((480, 640), 60, np.uint8)
    frame[40:440, 40:600] = 200
    for i in range(3):  # 7, 2, 1
        digit = _paper_with_digit(mnist.test.x[i], 120 + 130 * i, 190, 90, ink=130, paper=200)
        frame = np.minimum(frame, digit)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.2)
    marks = sorted(_marks(frame), key=lambda m: m.box[0])
    assert len(marks) == 3
    assert [round((m.box[0] - 40 - 80) / 130) for m in marks] == [0, 1, 2]


def test_soft_shadow_band_inside_the_page_is_not_a_mark(mnist):
    yy, xx = np.mgrid[0:480, 0:640].astype(np.float32)
    u, v = (xx - 200 + yy - 250) / 1.41, (xx - 200 - yy + 250) / 1.41
    band = 1 - 0.5 * np.exp(-((u / 45) ** 2) - (v / 150) ** 2)  # a slanted shadow inside the page, soft edges
    frame = _paper_with_digit(mnist.test.x[3], 420, 120, 100).astype(np.float32) * band
    frame = np.clip(frame + np.random.default_rng(0).normal(0, 2, frame.shape), 0, 255).astype(np.uint8)
    marks = _marks(frame)
    assert len(marks) == 1 and 400 < marks[0].box[0] < 520  # the digit only


def test_a_digit_blurred_nearly_as_much_as_the_rest_of_the_frame_is_no_shadow(mnist):
    # A 1280x960 photo out of focus, a page tilted so that the 4 on its left is blurred more
    # than the rest: its edge fades over ~23 px, past a shadow's limit in such a frame (19 px),
    # the other digits' over ~10 px. A soft shadow above them fades over ~60 px.
    h, w = 960, 1280
    alpha = np.zeros((h, w), np.float32)
    for i, k in enumerate((0, 1, 2)):
        digit = np.clip(cv2.resize(mnist.test.x[k], (100, 100), interpolation=cv2.INTER_CUBIC) / 255, 0, 1)
        alpha[400:500, 500 + 110 * i : 600 + 110 * i] = cv2.dilate(digit.astype(np.float32), np.ones((7, 7)))
    four = np.clip(cv2.resize(mnist.test.x[4], (100, 100), interpolation=cv2.INTER_CUBIC) / 255, 0, 1)
    four = cv2.dilate(np.pad(four.astype(np.float32), 40), np.ones((3, 3)))
    alpha[360:540, 310:490] = np.maximum(alpha[360:540, 310:490], cv2.GaussianBlur(four, (0, 0), 11))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    frame = 200 * (1 - 0.85 * alpha) * (1 - 0.35 * np.exp(-(((xx - 900) / 60) ** 2) - ((yy - 200) / 120) ** 2))
    frame = cv2.GaussianBlur(frame, (0, 0), 3) + np.random.default_rng(0).normal(0, 2, frame.shape)
    darkness, dark8, floor, _ = ink_levels(np.clip(frame, 0, 255).astype(np.uint8), "dark")
    count, labels, stats = label(dark8 > floor)
    big = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= 100]
    the_four = next(i for i in big if stats[i, 0] < 450)
    band = next(i for i in big if stats[i, 1] < 300)
    assert is_shadow(darkness, labels, stats[the_four], the_four)  # alone, it fades like one
    assert shadows_among(darkness, labels, stats, big) == [band]


def _surface_case(grey, darkness, ink, box):
    x, y, w, h = box
    return on_a_dark_surface(grey, darkness, ink, box, ink[y : y + h, x : x + w])


def test_a_wedge_of_desk_beside_the_page_is_a_dark_surface_and_ink_is_not():
    # A page on a desk (grey 50): the paper estimate followed the desk, and only a strip of it
    # along the page's edge came out as ink. A 0 written on the page, and a thick marker stroke
    # whose middle the estimate missed (only its rim is ink), inside the page or cut by the
    # photo's bottom edge, are ink.
    grey = np.full((480, 640), 190, np.uint8)
    grey[:, :160] = 50
    darkness, ink = np.zeros(grey.shape, np.float32), np.zeros(grey.shape, bool)
    wedge = (150, 100, 10, 200)
    ink[100:300, 150:160], darkness[100:300, 150:160] = True, 0.5
    zero = np.zeros(grey.shape, np.uint8)
    cv2.ellipse(zero, (330, 245), (25, 40), 0, 0, 360, 1, 6)
    grey[zero > 0], ink[zero > 0], darkness[zero > 0] = 40, True, 0.8
    for centre in ((480, 200), (560, 470)):
        stroke, rim_ = np.zeros(grey.shape, np.uint8), np.zeros(grey.shape, np.uint8)
        cv2.circle(stroke, centre, 55, 1, 40)  # a ring 40 px thick
        cv2.circle(rim_, centre, 36, 1, 3)  # its inner rim
        grey[stroke > 0] = 30
        ink |= rim_ > 0
        darkness[rim_ > 0] = 0.6
    assert _surface_case(grey, darkness, ink, wedge)
    assert not _surface_case(grey, darkness, ink, (300, 200, 61, 91))
    assert not _surface_case(grey, darkness, ink, (443, 163, 75, 75))
    assert not _surface_case(grey, darkness, ink, (523, 433, 75, 47))


def test_digits_inside_a_narrow_shadow_band_are_still_found(mnist):
    # A band narrower than the paper estimate's kernel turns into one soft-edged mark
    # with the digits in it; they must come back out of it, and the band must not.
    frame = np.full((480, 640), 215, np.uint8)
    for k in range(3):
        frame = np.minimum(frame, _paper_with_digit(mnist.test.x[k], 250 + 45 * k, 200, 45))
    xx = np.arange(640, dtype=np.float32)
    band = 1 - 0.45 * np.exp(-(((xx - 300) / 40) ** 2))  # a vertical shadow over all three digits
    frame = np.clip(frame * band[None, :] + np.random.default_rng(0).normal(0, 2, (480, 640)), 0, 255)
    marks = sorted(_marks(frame.astype(np.uint8)), key=lambda m: m.box[0])
    assert len(marks) == 3 and all(m.box[3] < 60 for m in marks), [m.box for m in marks]


def test_digits_in_a_shadow_that_reaches_the_table_around_the_page_are_found(mnist):
    # The band runs off the page into the table: one component with the table, whose sharp
    # edge all round the page hid the band's soft one, and the digits went with the table.
    frame = np.full((480, 640), 215, np.uint8)
    for k in range(3):
        frame = np.minimum(frame, _paper_with_digit(mnist.test.x[k], 250 + 45 * k, 220, 45))
    yy = np.arange(480, dtype=np.float32)
    frame = frame * (1 - 0.45 * np.exp(-(((yy - 240) / 40) ** 2)))[:, None]  # a shadow from side to side
    frame[:, :8], frame[:, -8:], frame[:8], frame[-8:] = 70, 70, 70, 70  # the table around the page
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0) + np.random.default_rng(0).normal(0, 2, frame.shape)
    marks = sorted(_marks(np.clip(frame, 0, 255).astype(np.uint8)), key=lambda m: m.box[0])
    assert len(marks) == 3 and all(m.box[3] < 60 for m in marks), [m.box for m in marks]  # none before


def test_a_stroke_inside_a_shadow_joined_to_the_table_stays_with_the_shadow():
    # The table is the dark core of the component that reaches the rim of its box. A stroke
    # in the shadow is as dark as the table, but an island: it stays in the shadow's region,
    # to be found again when the shadow is flattened, instead of being cut out with the table.
    h, w = 240, 320
    yy = np.arange(h, dtype=np.float32)[:, None]
    darkness = np.maximum(0.02, 0.3 * np.clip((45 - np.abs(yy - 120)) / 24, 0, 1)).repeat(w, axis=1)  # a soft band
    darkness[:, :10] = darkness[:, -10:] = 0.85  # the table, left and right, joined to the band
    darkness[105:135, 150:160] = 0.9  # a stroke in the band
    noise = np.random.default_rng(0).normal(0, 0.02, (h, w))
    darkness = (np.round(np.clip(darkness + noise, 0, 1) * 255) / 255).astype(np.float32)  # as ink_map makes it
    _, labels, stats = label(darkness > 0.14)
    regions, _ = on_the_table(darkness, labels, stats, [int(labels[0, 0])])
    assert len(regions) == 1
    (x, y, rw, rh), region = regions[0]
    found = np.zeros((h, w), bool)
    found[y : y + rh, x : x + rw] = region
    assert found[105:135, 150:160].all()  # the stroke
    assert found[120, 20:300].all() and not found[:, :10].any() and not found[:, -10:].any()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_marker_stroke_wider_than_the_shadows_mean_width_comes_out_of_it(seed):
    # A shadow with a ragged outline has a long outline for its area, so its mean width
    # (area over outline) is far less than its real width: 21 px here for a band ~120 px
    # wide. A kernel of half that kept a 26-px marker stroke in the paper's level, and
    # the digit was flattened away with the shadow (0.01 of the stroke came out).
    rng = np.random.default_rng(seed)
    h, w = 300, 200
    xx = np.arange(w, dtype=np.float32)[None, :].repeat(h, 0)
    wave = cv2.resize(rng.normal(0, 1, (h // 3, 2)).astype(np.float32), (2, h))[:, :1]
    ragged = (np.abs(np.abs(xx - 100) - 58) < 4) & (rng.random((h, w)) < 0.5)
    shadow = (np.abs(xx - 100) < 60 + 8 * wave) & ~ragged
    assert stroke_width(shadow) < 26
    stroke = np.zeros((h, w), bool)
    stroke[60:240, 88:114] = True
    darkness = np.where(stroke, 0.85, np.where(shadow, 0.3, 0.02)).astype(np.float32)
    page = np.pad(darkness, 20, constant_values=0.02)  # the shadow lies inside the page
    _, ink = lift_shadows(page, np.pad(shadow, 20), [((20, 20, w, h), shadow)])
    ink = ink[20:-20, 20:-20]
    near = cv2.dilate(stroke.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    assert ink[stroke].mean() > 0.95 and ink[shadow & ~near].mean() < 0.02


def test_faint_blotches_are_not_marks_but_a_lighter_stroke_beside_writing_is(mnist):
    blotches = np.full((480, 640), 200, np.uint8)
    for x in (100, 300, 500):
        cv2.circle(blotches, (x, 240), 25, 165, 6)  # stains 18% darker than the paper: Otsu calls them ink
    assert _marks(cv2.GaussianBlur(blotches, (0, 0), 2)) == []
    page = np.minimum(_paper_with_digit(mnist.test.x[0], 100, 150, 120, ink=60, paper=200),
                      _paper_with_digit(mnist.test.x[1], 300, 150, 120, ink=140, paper=200))  # 30% as dark
    assert len(_marks(page)) == 2


def test_a_digit_whose_arm_is_lighter_than_its_stem_is_found_whole():
    # Two 4s drawn in strokes: the second one's arm written lightly (25% darker than the paper,
    # under the ink floor), its stem as dark as the first 4. The stem alone was the mark.
    page = np.full((480, 640), 200, np.uint8)
    for x, arm, width in ((100, 60, 7), (300, 150, 4)):
        cv2.polylines(page, [np.int32([[x + 25, 170], [x - 10, 260], [x + 75, 260]])], False, arm, width, cv2.LINE_AA)
        cv2.line(page, (x + 60, 170), (x + 60, 300), 60, width, cv2.LINE_AA)
    marks = find_writing(cv2.GaussianBlur(page, (0, 0), 1.5))
    assert len(marks) == 2
    x, _, w, h = marks[1].box
    assert x < 300 and w > 0.5 * h, marks[1].box  # the arm with the stem (before: 9 px wide at x 356)


def test_a_row_of_soft_light_pencil_digits_is_writing(mnist):
    # Solid darkness ~0.2 and edges too soft for a crisp stroke: each alone is a blotch,
    # but five marks of one height on one line are a number.
    page = np.full((480, 640), 215, np.uint8)
    for k in range(5):
        page = np.minimum(page, _paper_with_digit(mnist.test.x[k], 80 + 100 * k, 180, 90, ink=160, paper=215))
    page = cv2.GaussianBlur(page, (0, 0), 2.5) + np.random.default_rng(0).normal(0, 2, page.shape)
    assert len(_marks(np.clip(page, 0, 255).astype(np.uint8))) >= 4  # measured 4 of 5 (none before)


def test_a_longer_row_of_fainter_pencil_is_writing_too(mnist):
    # Under 0.19 darkness (stains and texture reach 0.2) a row takes four marks of one height,
    # the nearest of them within three heights: the 2 here, at 0.176, was dropped as a stain.
    page = np.full((480, 1000), 215, np.uint8)
    for k in range(5):
        page = np.minimum(page, _paper_with_digit(mnist.test.x[k], 380 + 100 * k, 180, 90, (480, 1000), 170, 215))
    page = cv2.GaussianBlur(page, (0, 0), 2.5) + np.random.default_rng(0).normal(0, 2, page.shape)
    marks = _marks(np.clip(page, 0, 255).astype(np.uint8))
    assert len(marks) == 5 and min(m.solid for m in marks) < ROW_FLOOR  # measured 5 (4 before)


def _written_on_a_line(mnist, picks, line=90, spacing=40):
    """Digits sitting on a line of ruled paper (and, below the number, further lines)."""
    page = np.full((480, 640), 225, np.uint8)
    for y in range(20, 480, spacing):
        cv2.line(page, (0, y), (640, y), line, 2)
    base = 20 + spacing * 6
    for k, i in enumerate(picks):
        digit = cv2.resize(mnist.test.x[i], (50, 50))
        bottom = int(np.nonzero(digit.max(1) > 60)[0].max())
        y0, x0 = base - bottom, 100 + 60 * k
        page[y0 : y0 + 50, x0 : x0 + 50] = np.minimum(page[y0 : y0 + 50, x0 : x0 + 50], 255 - digit)
    return cv2.GaussianBlur(page, (3, 3), 0)


def test_digits_on_dark_ruled_paper_are_cut_free_of_the_lines(mnist):
    marks = sorted(_marks(_written_on_a_line(mnist, [0, 1, 2])), key=lambda m: m.box[0])  # 7 2 1
    assert len(marks) == 3 and all(m.box[2] < 60 and m.box[3] < 60 for m in marks), [m.box for m in marks]


def test_an_underline_touching_the_number_is_not_part_of_it(mnist):
    page = _written_on_a_line(mnist, [0, 1, 2], line=225)  # plain paper
    cv2.line(page, (90, 261), (300, 263), 40, 3)  # underlined, touching the digits' feet
    marks = _marks(page)
    assert len(marks) == 3 and all(m.box[2] < 60 for m in marks), [m.box for m in marks]


def test_a_margin_line_down_the_page_is_not_a_one(mnist):
    page = _written_on_a_line(mnist, [0, 1, 2], line=225)
    cv2.line(page, (60, 0), (62, 479), 90, 2)  # the red margin of a notebook page, top to bottom
    marks = _marks(page)
    assert len(marks) == 3 and all(m.box[0] > 90 for m in marks), [m.box for m in marks]


def test_the_long_bar_of_a_flat_seven_stays_with_it():
    page = np.full((300, 400), 225, np.uint8)
    cv2.line(page, (100, 100), (200, 100), 30, 6)
    cv2.line(page, (200, 100), (165, 160), 30, 6)
    marks = _marks(page)
    assert len(marks) == 1 and marks[0].box[2] > 95, [m.box for m in marks]


def test_a_digit_cut_by_the_photo_border_is_not_whole_but_one_drawn_to_the_canvas_edge_is(mnist):
    photo = _paper_with_digit(mnist.test.x[0], 200, 200, 100)
    photo = cv2.GaussianBlur(photo + np.random.default_rng(0).normal(0, 3, photo.shape), (0, 0), 1.0)
    inside, cut = _marks(photo.astype(np.uint8)), _marks(photo[:, :250].astype(np.uint8))  # the 7 runs off
    assert [m.whole for m in inside] == [True] and [m.whole for m in cut] == [False]
    canvas = np.zeros((100, 100), np.uint8)
    canvas[:, 40:52] = 255  # a Paint "1" from the top of the canvas to the bottom
    assert [m.whole for m in _marks(canvas)] == [True]


def test_light_pencil_digits_on_their_own_are_found(mnist):
    page = np.full((480, 640), 215, np.float32)
    for k in range(3):  # 22% darker than the paper: under the floor that drops stains and texture
        big = cv2.resize(mnist.test.x[k], (110, 110), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
        alpha = np.clip((big - 0.3) / 0.4, 0, 1)  # a pencil line's edge, not MNIST's blur scaled up 4x
        window = page[180:290, 120 + 140 * k : 230 + 140 * k]
        window[:] = window * (1 - alpha) + 168 * alpha
    page = cv2.GaussianBlur(page, (0, 0), 1.0) + np.random.default_rng(0).normal(0, 2, page.shape)
    assert len(_marks(np.clip(page, 0, 255).astype(np.uint8))) == 3


def _grown(page):
    """The ink mask of ``page`` plain and with faint strokes grown."""
    _, dark8, floor, _ = ink_levels(page)
    return dark8 > floor, grow_faint(dark8, floor)


def test_the_faint_search_joins_grainy_pencil_but_leaves_pen_and_lines_from_the_border_alone(mnist):
    page = synth.pencil_page(np.random.default_rng(0), mnist.test.x[:3], ink=160)  # 7 2 1, a fifth darker
    cv2.line(page, (0, 400), (639, 402), 165, 2)  # a ruled line as faint as the pencil, border to border
    plain, faint = _grown(page)
    for k in range(3):
        box = (slice(185, 285), slice(55 + 105 * k, 155 + 105 * k))
        assert label(plain[box])[0] - 1 >= 3 and label(faint[box])[0] - 1 == 1  # specks (3-5) -> one stroke
    assert (plain[395:410] == faint[395:410]).all() and plain[395:410].any()
    pen = page.copy()
    pen[150:330, 40:380] = _paper_with_digit(mnist.test.x[0], 60, 20, 150, shape=(180, 340), ink=40, paper=200)
    plain, faint = _grown(pen)
    assert (plain == faint).all()  # its blurred edge is not ink


def test_a_pencil_digit_pressed_hard_in_one_spot_is_still_faint(mnist):
    # Pencil pressure varies: a dot darker than two ink floors is no pen stroke, the rest of
    # the digit is still light pencil that breaks into specks at the floor.
    page = synth.pencil_page(np.random.default_rng(0), mnist.test.x[:3], ink=160)
    cv2.circle(page, (100, 216), 3, 90, -1)  # on the 7's bar, a tenth of its ink
    plain, faint = _grown(page)
    box = (slice(185, 285), slice(55, 155))
    assert label(plain[box])[0] - 1 >= 3 and label(faint[box])[0] - 1 == 1


def test_polarity_is_detected_from_the_background():
    assert ink_is_light(np.zeros((50, 50), np.uint8)) and not ink_is_light(np.full((50, 50), 220, np.uint8))


def test_a_drawings_ink_is_what_differs_from_the_ground_along_its_border():
    canvas = np.full((200, 200), 255, np.uint8)
    cv2.circle(canvas, (100, 100), 80, 0, -1)  # black ink over half the canvas: more than the ground
    assert (canvas == 0).mean() > 0.5
    assert drawing_ink(canvas) == "dark" and drawing_ink(255 - canvas) == "light"
    assert drawing_ink(np.where(canvas == 0, 20, 100).astype(np.uint8)) == "dark"  # dim ground, darker ink
    assert drawing_ink(np.zeros((50, 50), np.uint8)) == "light"  # a blank canvas: by its ground
    noisy = np.clip(np.random.default_rng(0).normal(200, 8, (200, 200)), 0, 255).astype(np.uint8)
    assert drawing_ink(noisy) is None  # a photo: no exact level covers the frame


def test_dim_grey_paper_is_still_dark_ink(mnist):
    dim = _paper_with_digit(mnist.test.x[0], 100, 100, 150, ink=30, paper=110)  # an underexposed photo
    chalk = _paper_with_digit(mnist.test.x[0], 100, 100, 150, ink=220, paper=60)  # a board
    assert not ink_is_light(dim) and ink_is_light(chalk)
    assert len(_marks(dim)) == 1 and _marks(dim)[0].box[3] < 200


def test_a_page_on_a_dark_desk_that_fills_less_than_half_the_frame_has_dark_ink(mnist):
    rng = np.random.default_rng(0)
    frame = np.clip(rng.normal(70, 6, (480, 640)), 0, 255).astype(np.uint8)  # a dark desk, not a plain ground
    quad = np.array([[130, 70], [520, 90], [500, 410], [110, 390]], np.int32)  # 40% of the frame
    cv2.fillConvexPoly(frame, quad, 205)
    frame[200:260, 260:400] = np.where(_paper_with_digit(mnist.test.x[0], 0, 0, 60, shape=(60, 140)) < 128, 30, 205)
    assert np.median(frame) < 128 and not ink_is_light(frame)
    assert len(_marks(frame)) == 1  # the digit, not the page
    chalk = np.clip(rng.normal(60, 6, (480, 640)), 0, 255).astype(np.uint8)
    cv2.putText(chalk, "42", (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 4, 220, 12)
    assert ink_is_light(chalk)  # a board has no page on it


def test_white_on_black_drawing_reads_like_black_on_white(mnist):
    dark_ink = _paper_with_digit(mnist.test.x[3], 100, 100, 200, shape=(400, 400), ink=0, paper=255)
    light_ink = 255 - dark_ink
    a, b = _marks(dark_ink), _marks(light_ink)
    assert len(a) == len(b) == 1 and a[0].box == b[0].box
    assert np.abs(normalise(a[0].ink).astype(int) - normalise(b[0].ink)).mean() < 2


def test_forced_polarity_overrides_auto(mnist):
    light_ink = 255 - _paper_with_digit(mnist.test.x[3], 100, 100, 200, shape=(400, 400), ink=0, paper=255)
    assert len(_marks(light_ink, "light")) == 1
    assert all(m.box[3] < 300 for m in _marks(light_ink, "dark")) or not _marks(light_ink, "dark")


def test_the_paper_under_a_stroke_as_wide_as_its_kernel_is_estimated_wider():
    ring = np.full((480, 640), 200, np.uint8)
    cv2.circle(ring, (320, 240), 150, 50, 110)  # a 0 in a marker 110 px wide, filling the frame
    ring = cv2.GaussianBlur(ring, (0, 0), 2)
    solid = 1 - 50 / 200
    darkness = ink_levels(ring)[0]
    assert darkness[240, 470] < 0.6 * solid  # the middle of the stroke, against a paper estimate too dark
    darkness = ink_levels(ring, under=[(115, 35, 410, 410)])[0]
    assert darkness[240, 470] > 0.95 * solid and darkness[20, 20] == 0
    thin = np.full((480, 640), 200, np.uint8)
    cv2.circle(thin, (320, 240), 150, 50, 12)
    assert ink_levels(thin, under=[(164, 84, 312, 312)]) is None  # nothing to change: not read again


def test_blank_noisy_paper_has_no_marks():
    rng = np.random.default_rng(0)
    paper = np.clip(200 + rng.normal(0, 6, (480, 640)), 0, 255).astype(np.uint8)
    assert _marks(paper) == []


def test_ruled_lines_are_not_digits():
    page = np.full((480, 640), 230, np.uint8)
    for y in range(40, 480, 40):
        cv2.line(page, (10, y), (630, y), 120, 2)
    assert _marks(page) == []


def test_a_broken_five_is_one_mark(mnist):
    five = mnist.test.x[np.flatnonzero(mnist.test.y == 5)[0]].copy()
    five[8:10, :] = 0  # cut the stroke below the bar
    frame = _paper_with_digit(five, 100, 100, 150)
    assert len(_marks(frame)) == 1


def test_a_stroke_whose_pen_lifted_and_came_down_to_its_left_is_one_mark():
    # A 1 written as a dash and, below it and a little to its left, a dot: each piece is under
    # half the height of the 0s beside it, and apart they went as specks.
    page = np.full((200, 400), 235, np.uint8)
    cv2.ellipse(page, (90, 100), (22, 36), 0, 0, 360, 30, 7)
    cv2.ellipse(page, (310, 100), (22, 36), 0, 0, 360, 30, 7)
    cv2.line(page, (205, 66), (199, 98), 30, 8)  # the dash
    cv2.line(page, (196, 104), (193, 134), 30, 8)  # the rest, 6 px lower and left of where the dash ends
    boxes = sorted(m.box for m in _marks(cv2.GaussianBlur(page, (0, 0), 1.0)))
    assert len(boxes) == 3 and boxes[1][3] >= 60, boxes  # the 1 whole, between the 0s
    assert _belong_together((374, 286, 16, 23), (361, 313, 16, 17))  # a dash and a dot as photographed
    assert not _belong_together((100, 50, 30, 40), (125, 52, 30, 40))  # side by side, the boxes overlapping


@pytest.mark.parametrize("side", [400, 2000])
def test_thin_and_thick_strokes_are_brought_to_mnist_width(side):
    # At 2000 px the 1-px line needs a kernel 130 px wide: the mark is shrunk first (widened
    # by the factor, so the line keeps its strength), where the dilation alone took 0.37 s.
    seven = (np.array([(110, 70), (290, 70), (170, 340)]) * side / 400).astype(np.int32)
    crops = []
    for brush in (1, side // 9):  # a 1-px line (putText's thickness grows with its scale in OpenCV 5), a fat brush
        canvas = np.zeros((side, side), np.uint8)
        cv2.polylines(canvas, [seven], False, 255, brush, cv2.LINE_8)
        crops.append(normalise(find_marks(*ink_map(canvas))[0].ink))
    for crop in crops:
        width = stroke_width(crop > 127) / 20
        assert 0.06 < width < 0.2, width
    thin, thick = (crop > 127 for crop in crops)
    assert (thin & thick).sum() > 0.5 * (thin | thick).sum()  # the same 7


def test_grey_conversion_accepts_common_layouts():
    grey = np.full((10, 12), 7, np.uint8)
    for frame in (grey, grey[:, :, None], np.dstack([grey] * 3), np.dstack([grey] * 4)):
        assert to_grey(frame).shape == (10, 12)
    with pytest.raises(ValueError, match="expected a"):
        to_grey(np.zeros((2, 3, 4, 5), np.uint8))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.uint8, st.tuples(st.integers(1, 300), st.integers(1, 300)), elements=st.integers(0, 255)))
def test_any_grey_image_gives_valid_crops(image):
    marks = find_marks(*ink_map(image))
    for mark in marks:
        x, y, w, h = mark.box
        assert 0 <= x and 0 <= y and x + w <= image.shape[1] and y + h <= image.shape[0]
        crop = normalise(mark.ink)
        assert crop.shape == (28, 28) and crop.dtype == np.uint8


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 40), st.integers(1, 200)), elements=st.floats(0, 1, width=32)),
       st.integers(2, 4))
@example(np.ones((1, 2), np.float32), 3)  # two pixels wide: no room for two cuts
def test_a_marks_cuts_leave_pieces_of_its_own_ink_side_by_side(ink, n):
    h, w = ink.shape
    mark = Mark((3, 5, w, h), ink, True, 0.5)
    sets = cut_sets(mark, n)
    assert len(sets) <= (MAX_CUTS if n == 2 else 1) and (not sets or w >= SPLIT_ASPECT * h)
    for cuts in sets:
        assert len(cuts) == n - 1 and list(cuts) == sorted(set(cuts)) and 0 < cuts[0] and cuts[-1] < w
        bounds = [0, *cuts, w]
        for a, b in zip(bounds, bounds[1:]):
            piece = piece_of(mark, a, b)
            if piece is None:
                continue
            x, y, pw, ph = piece.box[0] - 3, piece.box[1] - 5, piece.box[2], piece.box[3]
            assert a <= x and x + pw <= b and 0 <= y and y + ph <= h  # between its cuts, inside the mark
            assert np.array_equal(piece.ink, ink[y : y + ph, x : x + pw])  # the mark's own ink
            rest = ink[:, a:b].copy()
            rest[y : y + ph, x - a : x - a + pw] = 0
            assert not rest.any()  # and all of it between the cuts
            apart = all(c in (0, w) or not (ink[:, c - 1 : c + 1] > 0.5).any(axis=0).all() for c in (a, b))
            assert ph >= PIECE_HEIGHT * h and pw <= (APART_ASPECT if apart else PIECE_ASPECT) * ph


def test_touching_digits_are_cut_where_they_meet():
    # A 1 beside a wide 0, touching: the cut between them is far from the middle of the
    # mark, where the thinnest column cuts the 0 in two.
    ink = np.zeros((40, 56), np.float32)
    cv2.line(ink, (4, 2), (4, 37), 1.0, 3)
    cv2.ellipse(ink, (34, 20), (18, 17), 0, 0, 360, 1.0, 3)
    cv2.line(ink, (4, 20), (16, 20), 1.0, 2)  # where they touch
    mark = Mark((0, 0, 56, 40), ink, True, 1.0)
    cuts = [c for (c,) in cut_sets(mark, 2)]
    apart = [(piece_of(mark, 0, c), piece_of(mark, c, 56)) for c in cuts if 6 <= c <= 14]
    assert any(one and zero and one.box[2] <= 14 and zero.box[2] >= 36 for one, zero in apart), cuts


def test_a_thick_marks_erosion_to_mnists_stroke_never_breaks_it_apart():
    # A marker's 8 whose waist was written thin: eroded to MNIST's stroke by the full kernel, the
    # waist went and the two loops stood apart (a chalk 8 read as 9); the kernel is halved until it holds.
    ink = np.zeros((90, 56), np.float32)
    cv2.circle(ink, (28, 22), 14, 1.0, 22)
    cv2.circle(ink, (28, 67), 15, 1.0, 22)
    ink[38:50, :] = 0
    cv2.line(ink, (28, 30), (28, 58), 1.0, 3)
    assert stroke_width(ink > 0.5) / max(ink.shape) > STROKE_RANGE[1]  # thick enough to be thinned
    thinned = _even_stroke(ink) > 0.5
    assert cv2.connectedComponents(thinned.view(np.uint8))[0] - 1 == 1  # one piece, as written
    assert np.count_nonzero(thinned) < np.count_nonzero(ink > 0.5)  # and thinner


def test_a_wide_piece_is_a_digit_where_it_stood_apart_and_a_tail_where_it_was_cut_through_ink():
    # Two slanted 0s on a notebook's line, joined by the blur between them only: the left one is
    # 1.4 times as wide as it is tall, a digit; cut through a solid stroke, as wide a piece is a
    # scribble's tail.
    ink = np.zeros((30, 84), np.float32)
    cv2.ellipse(ink, (20, 15), (18, 12), 0, 0, 360, 1.0, 2)
    cv2.ellipse(ink, (62, 15), (18, 12), 0, 0, 360, 1.0, 2)
    ink[14:17, 38:45] = np.maximum(ink[14:17, 38:45], 0.3)  # the blur between them
    cut = 41
    assert not (ink[:, cut - 1 : cut + 1] > 0.5).any()
    piece = piece_of(Mark((0, 0, 84, 30), ink, True, 1.0), 0, cut)
    assert piece is not None and PIECE_ASPECT * piece.box[3] < piece.box[2] <= APART_ASPECT * piece.box[3]
    ink[14:17, 38:45] = 1.0  # a solid stroke across the cut
    assert piece_of(Mark((0, 0, 84, 30), ink, True, 1.0), 0, cut) is None


def test_a_marks_largest_piece_is_its_digit_without_what_was_merged_to_it():
    page = np.full((200, 300), 230, np.uint8)
    cv2.ellipse(page, (120, 100), (22, 34), 0, 0, 360, 30, 6)  # a 0
    cv2.line(page, (152, 100), (170, 100), 30, 6)  # a hyphen beside it, merged as a 5's bar would be
    marks = find_marks(*ink_map(page))
    assert len(marks) == 1 and marks[0].core is not None
    core = core_of(marks[0])
    x, y, w, h = core.box
    assert abs(x - 95) <= 3 and abs(x + w - 146) <= 3 and abs(y - 63) <= 3 and abs(y + h - 138) <= 3, core.box
    assert core.ink.shape == (h, w) and core.ink.max() == pytest.approx(1.0, abs=0.05)
    assert marks[0].box[0] + marks[0].box[2] >= 170  # the mark itself holds the hyphen


def test_a_line_of_small_letters_between_tall_ones_is_a_word_not_a_number():
    from edge.reader import _written_words

    def line(*heights, gap=10):
        boxes, x = [], 0
        for h in heights:
            boxes.append((x, 100 - h, 30, h))  # standing on one line
            x += 30 + gap
        return boxes

    word = line(60, 30, 30, 62)  # "good", "look": x-height letters between tall ones
    number = line(60, 58, 33, 61)  # a digit written small now and then
    far = line(60, 50, 41, 34, 30)  # a row photographed at a slant, shrinking into the distance
    capitals = line(60, 60, 60, 60)  # "THIS": nothing tells it from a number by its heights
    boxes = word + number + far + capitals
    lines = [0] * 4 + [1] * 4 + [2] * 5 + [3] * 4
    assert _written_words(boxes, lines) == {0}
    assert _written_words(line(60, 30), [0, 0]) == set()  # too few marks to tell


def test_a_flag_is_told_from_a_bar_on_any_mask():
    from edge.reader import _has_a_flag

    one, seven = np.zeros((28, 28), np.uint8), np.zeros((28, 28), np.uint8)
    cv2.polylines(one, [np.int32([[10, 10], [15, 4], [13, 24]])], False, 1, 2)  # a flag down to the left
    cv2.polylines(seven, [np.int32([[8, 4], [19, 4], [12, 24]])], False, 1, 2)  # a level bar
    assert _has_a_flag(one.astype(bool)) and not _has_a_flag(seven.astype(bool))
    line = np.zeros((28, 28), bool)
    line[14, 4:24] = True
    assert not _has_a_flag(line) and not _has_a_flag(np.zeros((28, 28), bool))


@settings(max_examples=200, deadline=None)
@given(arrays(np.bool_, st.tuples(st.integers(1, 60), st.integers(1, 60))))
def test_the_pieces_on_the_rim_are_those_whose_labels_are_on_it(mask):
    # A flood fill from a frame around the mask stands in for labelling every piece.
    labels = label_pixels(mask)
    assert np.array_equal(on_the_rim(mask), pixels_of(labels, rim(labels)))
    assert np.array_equal(on_the_rim(mask.view(np.uint8)), on_the_rim(mask))


@settings(max_examples=300, deadline=None)
@given(st.floats(-40, 40), st.integers(2, 10), st.integers(12, 120), st.floats(1.1, 2.5))
def test_the_slant_of_a_row_is_the_direction_it_runs_in(degrees, count, height, spacing):
    from edge.reader import NEIGHBOUR, _slant

    def row(step):
        t, w = np.radians(degrees), height // 2
        centres = [(2000 + k * step * np.cos(t), 2000 + k * step * np.sin(t)) for k in range(count)]
        return [Mark((round(x - w / 2), round(y - height / 2), w, height), np.ones((height, w), np.float32))
                for x, y in centres]

    rounding = np.degrees(2 / (spacing * height))  # box corners are whole pixels
    assert abs(np.degrees(_slant(row(spacing * height))) - degrees) <= rounding + 1e-9
    assert _slant(row((NEIGHBOUR + 0.5) * height)) == 0.0  # too far apart to be one row
    assert _slant(row(spacing * height)[:1]) == 0.0


def test_a_line_mostly_of_sure_digits_is_a_number_and_one_mostly_not_is_none():
    from edge.reader import IN_A_NUMBER, _consensus

    def sure(confidence, lines, whole=None):
        whole = np.ones(len(confidence), bool) if whole is None else np.array(whole)
        return _consensus(np.array(confidence, np.float32), whole, lines, 0.5).tolist()

    unsure_digit = IN_A_NUMBER * 0.5 + 0.02
    assert sure([0.9, 0.9, 0.9, unsure_digit], [0] * 4) == [True] * 4  # in a number, sure down to IN_A_NUMBER
    assert sure([0.9, 0.9, 0.9, unsure_digit - 0.04], [0] * 4) == [True, True, True, False]  # and no further
    assert sure([0.9, 0.9, 0.9, unsure_digit], [0] * 4, [1, 1, 1, 0]) == [True, True, True, False]  # cut: no
    assert sure([0.9, 0.3, 0.3, 0.2], [0] * 4) == [False] * 4  # mostly not digits: a word
    assert sure([0.9, 0.9, 0.3, 0.05], [0] * 4) == [False] * 4  # half, beside what is no digit at all
    assert sure([0.9, 0.9, 0.3, 0.3], [0] * 4) == [True] * 4  # half, the rest unsure digits
    # a line of digits stands on its own; the rest of the frame, mostly unsure together, is nothing
    assert sure([0.9, 0.9, 0.3, 0.2, 0.9], [0, 0, 1, 1, 2]) == [True, True, False, False, False]
    assert sure([0.9, 0.9, 0.3, 0.9, 0.9], [0, 0, 1, 1, 2]) == [True, True, True, True, True]
    assert sure([0.9, 0.2, 0.2], [0, 1, 2]) == [False] * 3
    assert sure([], []) == []


@pytest.mark.parametrize("fall", [0.0, 0.1, 0.25, 0.28, 0.32, 0.35, 0.5, 0.9])
def test_a_paper_estimate_is_steep_only_where_it_falls_by_the_steep_edge_share(fall):
    from edge.ink import STEEP_EDGE, _steep

    level = np.full((30, 40), 200, np.uint8)
    level[:, 20:] = round(200 * (1 - fall))  # a shadow's edge between two columns
    steep = _steep(level)
    assert steep.any() == (fall > STEEP_EDGE)
    assert not steep[:, :18].any() and not steep[:, 22:].any()  # only along the edge


@pytest.mark.parametrize("solid", [0.3, 0.5, 0.56, 0.64, 0.7, 0.9])
def test_a_soft_edged_mark_is_a_shadow_only_while_lighter_than_ink(solid):
    # A broad blot whose edge fades over ~40 px, as a shadow's does: a shadow while its solid
    # darkness (the 0.75 quantile) is under SHADOW_DARKEST, ink however soft its edge past it.
    from edge.clutter import SHADOW_DARKEST

    yy, xx = np.mgrid[0:480, 0:640].astype(np.float32)
    blot = np.clip(1.4 - np.hypot(xx - 320, yy - 240) / 100, 0, 1) ** 2
    darkness = (blot * np.float32(solid / np.quantile(blot[blot > 0.15], 0.75))).astype(np.float32)
    count, labels, stats = label(darkness > 0.15 * solid)
    mark = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    assert is_shadow(darkness, labels, stats[mark], mark) == (solid < SHADOW_DARKEST)
