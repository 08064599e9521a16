"""How well the whole reader does: golden images, a larger generated set, non-digits, MNIST itself.

Regression guards a margin below what the shipped model measured (README, "Edge reader").
The edge reader issue's targets (95% of strings, 98% of digits, 5% false accepts) are reached
on seed 2024, strings with no margin (95.0%); these floors keep the reader from slipping far.
"""

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edge import ink as ink_module
from edge import reader
from edge.classifier import DigitClassifier
from edge.images import load_image
from edge.ink import ink_is_light, to_grey
from edge.marks import cut_sets, find_writing
from edge.reader import ReaderOptions, read_frame
from tests import synth
from tests.reader_eval import false_accepts, score_readings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
# measured with models/digits_int8.tflite at the default --min-confidence:
GOLDEN_DIGITS, GOLDEN_STRINGS = 0.97, 0.90  # measured 100% of digits and of strings (24 images)
GOLDEN_FALSE_ACCEPTS = 0.2  # measured 1 of 10 non-digit images
GENERATED_DIGITS, GENERATED_STRINGS = 0.98, 0.93  # measured 98.9%, 95.0% (seed 2024, 300 images)
NON_DIGIT_FALSE_ACCEPTS = 0.08  # measured 1% (seed 2024, 100 images; 2% before a mark alone had to read 0.7)
WORD_PAGE_FALSE_ACCEPTS = 0.12  # measured 3% (seed 31, 100 pages of printed words; 7% before a short word was text)
DESK_PHOTOS_RIGHT = 56  # of 60 photos of a page on a desk; measured 58 (55 before the desk's edges were told from ink)
FORM_FIELDS_RIGHT = 51  # of 60 scans of a number beside a printed label; measured 55 (44 while small marks apart
# from the number were read)


@pytest.fixture(scope="module")
def classifier():
    return DigitClassifier(ROOT / "models" / "digits_int8.tflite")


def _golden_rows():
    with open(GOLDEN / "labels.csv") as f:
        return list(csv.DictReader(f))


def _read_right(classifier, pages) -> int:
    """How many of the (page, text) pairs read exactly as their text."""
    return sum(read_frame(page, classifier).text == text for page, text in pages)


def _photographed(page: np.ndarray, rng) -> np.ndarray:
    """A float page as a camera gives it: slightly blurred, with sensor noise, uint8."""
    return np.clip(cv2.GaussianBlur(page, (0, 0), 0.8) + rng.normal(0, 2, page.shape), 0, 255).astype(np.uint8)


def test_golden_digit_images_read_as_labelled(classifier):
    rows = [r for r in _golden_rows() if r["text"]]
    pairs = [(r["file"], r["text"], read_frame(load_image(GOLDEN / r["file"]), classifier).text) for r in rows]
    score = score_readings(pairs)
    assert score.digit_accuracy >= GOLDEN_DIGITS, score.failures
    assert score.string_accuracy >= GOLDEN_STRINGS, score.failures


def test_golden_non_digit_images_read_as_nothing(classifier):
    rows = [r for r in _golden_rows() if not r["text"]]
    readings = [read_frame(load_image(GOLDEN / r["file"]), classifier) for r in rows]
    assert len(rows) == 10 and false_accepts(readings) <= GOLDEN_FALSE_ACCEPTS, [r.text for r in readings]


@pytest.mark.slow
def test_generated_camera_like_set_meets_the_targets(classifier, mnist):
    samples = synth.make_set(2024, 300, mnist.test.x, mnist.test.y)
    score = score_readings((str(i), s.text, read_frame(s.image, classifier).text) for i, s in enumerate(samples))
    assert score.digit_accuracy >= GENERATED_DIGITS, score.failures[:20]
    assert score.string_accuracy >= GENERATED_STRINGS, score.failures[:20]


@pytest.mark.slow
def test_non_digit_images_are_rarely_read_with_confidence(classifier):
    readings = [read_frame(s.image, classifier) for s in synth.make_non_digits(2024, 100)]
    assert false_accepts(readings) <= NON_DIGIT_FALSE_ACCEPTS


def test_pages_of_printed_words_rarely_read_as_a_number(classifier):
    # Letters one by one look like digits (o, l, s, D); a line or a frame of marks mostly unsure
    # is no number (edge.reader._consensus), which keeps most pages of words from reading.
    pages = synth.make_word_pages(31, 100)  # as reader_eval --words --seed 31
    assert false_accepts([read_frame(p.image, classifier) for p in pages]) <= WORD_PAGE_FALSE_ACCEPTS


def test_photos_of_a_page_on_a_desk_read_right(classifier, mnist):
    # The page about half the frame, turned, on a dark desk (reader_eval --desk --seed 123):
    # the desk's wedges and pieces along the page's edge are not digits, and neither is the page.
    samples = [synth.desk_sample(np.random.default_rng([123, i]), mnist.test.x, mnist.test.y) for i in range(60)]
    right = sum(read_frame(s.image, classifier).text.replace(" ", "") == s.text for s in samples)
    assert right >= DESK_PHOTOS_RIGHT, right


def test_numbers_beside_or_under_a_printed_label_read_right(classifier, mnist):
    # Scans of a form's field (reader_eval --form --seed 77): the label's capitals, 0.3-0.65 of
    # the digits' height, are no digits, and neither is the field's line.
    samples = [synth.form_sample(np.random.default_rng([77, i]), mnist.test.x, mnist.test.y) for i in range(60)]
    right = sum(read_frame(s.image, classifier).text.replace(" ", "") == s.text for s in samples)
    assert right >= FORM_FIELDS_RIGHT, right


@pytest.mark.parametrize("index", [39, 46, 85])
def test_a_short_word_whose_letter_reads_as_a_digit_is_no_number(classifier, index):
    # Pages of one short printed word ("is", "to"): its s or o read as a sure 5 or 0, beside a
    # letter that the model read as no digit at all. Half the line sure was a number.
    page = synth.make_word_pages(31, index + 1)[index]
    reading = read_frame(page.image, classifier)
    assert reading.digits and not [d for d in reading.digits if d.accepted], reading.text  # "?", no digit


@pytest.mark.parametrize("seed, index", [(5, 46), (7, 86)])
def test_the_table_around_a_ruled_page_leaves_no_ones_along_the_pages_edge(classifier, seed, index):
    # The table, taken for a shadow, is flattened with a kernel that follows its blurred
    # edge. One as wide as the table's corner left that edge as ink along the page, and the
    # ruled lines cut it into pieces that read as "1 1 1 1" (these two generated pages).
    page = synth.non_digit_sample(np.random.default_rng([seed, 10**6 + index]), "ruled")
    assert synth.NON_DIGIT_KINDS[index % 5] == "ruled"
    assert not any(d.accepted for d in read_frame(page.image, classifier).digits)


def test_a_faint_piece_of_the_boards_frame_far_from_a_number_is_no_digit_of_it(classifier, mnist):
    # Generated photo 198 of seed 2024: a chalk number, and left of it a faint piece of the
    # board's frame as tall as the digits; taken as one of a faint row, it read as a sure 1.
    assert synth.CYCLE[198 % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([2024, 198]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == "0741825"


@pytest.mark.parametrize("seed, index, text", [(21, 51, "30"), (77, 340, "471")])
def test_a_faint_piece_taller_than_the_writing_sets_no_scale_for_it(classifier, mnist, seed, index, text):
    # Generated photos: small digits under a shadow band that leaves a faint piece 26 px tall
    # (the 0 is 12), and a chalk number on a board whose frame leaves a faint piece 191 px tall
    # in a corner (the 4 and the 1 are 83 and 88). Marks under half the tallest are specks, so
    # only the 3 and the 7 were read, though the faint piece itself is no ink and went too.
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, pencil, text", [(2024, 24, None, "062649"), (11, 138, None, "55750051"),
                                                        (5, 153, None, "7436447193"), (105, 92, 105, "8406055989")])
def test_a_digit_too_faint_for_the_ink_floor_beside_a_number_is_read(classifier, mnist, seed, index, pencil, text):
    # Generated photos: a 0 in thin pen beside digits in thick marker, a small thin 5 in a row
    # of bold digits, a chalk 3 in thin strokes, an 8 pressed lightly in pencil (half as dark
    # as its neighbours). Blurred by the camera, their lines peak below the ink floor and broke
    # into specks, and the number lost the digit ("62649", "5570051", "746447193", "840605599").
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y, pencil=pencil)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, pencil, text", [(13, 47, None, "8447444"), (13, 122, None, "778798"),
                                                        (105, 49, 105, "10404481")])
def test_a_digit_whose_lighter_part_fell_under_the_ink_floor_is_read_whole(classifier, mnist, seed, index, pencil,
                                                                           text):
    # Generated photos: a 4 and a 7 in a lighter pen than the rest of their numbers, a 4 pressed
    # lightly in pencil. Only their darkest stroke passed the ink floor, and read as another
    # digit ("8447441", "478798", "10404181"); down to half the floor the digit is whole, and
    # the stroke found lies inside it.
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y, pencil=pencil)
    assert read_frame(sample.image, classifier).text == sample.text == text


def test_a_piece_of_the_table_cut_by_the_frame_sets_no_scale_for_the_writing(classifier, mnist):
    # Generated photo 180 of seed 7: a number in thin pen, and in the frame's corner a piece of
    # the table 4.4 times as tall, cut by the border: as the tallest mark it made the digits specks,
    # and the photo read as "?" (the piece, cut, as an unsure digit).
    assert synth.CYCLE[180 % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([7, 180]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == "4782"


@pytest.mark.parametrize("index, text", [(35, "4"), (128, "2"), (130, "40")])
def test_a_big_digit_in_thick_marker_does_not_hide_the_paper_under_it(classifier, mnist, index, text):
    # A number in thick marker, held up to fill the frame: its strokes are as wide as the kernel
    # that estimates the paper, the paper under them came out dark, and the strokes turned hollow
    # or faded (the 4 and the 2 read as 8, the 4 of 40 was lost).
    sample = synth.marker_sample(np.random.default_rng([77, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


def _searched_sizes(monkeypatch) -> list:
    """The (H, W) of every frame the reader searches from now on, as it searches them."""
    sizes = []

    def spy(grey, polarity="auto", **how):
        sizes.append(grey.shape)
        return find_writing(grey, polarity, **how)

    monkeypatch.setattr(reader, "find_writing", spy)
    return sizes


def _answers(monkeypatch, name: str) -> list:
    """What ``edge.reader``'s function ``name`` returns from now on, call by call."""
    answers, real = [], getattr(reader, name)

    def spy(*args, **kwargs):
        answers.append(real(*args, **kwargs))
        return answers[-1]

    monkeypatch.setattr(reader, name, spy)
    return answers


def _photos_640(mnist, count: int, lowest: int, highest: int) -> list:
    """640x480 generated photos whose shortest digit is ``lowest``-``highest`` px tall."""
    out = []
    for i in range(200):
        s = synth.photo_sample(np.random.default_rng([33, i]), mnist.test.x, mnist.test.y)
        f = 640 / s.image.shape[1]
        if s.image.shape[0] * f == 480 and lowest <= f * min(b[3] for b in s.boxes) <= highest:
            out.append(cv2.resize(s.image, (640, 480), interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR))
        if len(out) == count:
            return out
    raise AssertionError(f"only {len(out)} such photos")


def test_big_writing_is_read_at_half_size_as_at_full_size(classifier, mnist, monkeypatch):
    # Digits FINE_ENOUGH tall at half size are read there: a quarter of the pixels to search.
    # The reading is the full size one, boxes in the frame's pixels. Only a frame where a mark
    # may be digits written touching is searched again at full size.
    frames = _photos_640(mnist, 20, 3 * reader.FINE_ENOUGH, 480)
    sizes = _searched_sizes(monkeypatch)
    touching = _answers(monkeypatch, "_touching")
    half = [read_frame(f, classifier) for f in frames]
    assert sizes.count((240, 320)) >= len(frames) and sizes.count((480, 640)) == touching.count(True) <= 2, sizes
    monkeypatch.setattr(reader, "HALF_FROM", 10**6)
    full = [read_frame(f, classifier) for f in frames]
    same = [a for a, b in zip(half, full) if a.text == b.text]
    assert len(same) >= 18, [(a.text, b.text) for a, b in zip(half, full)]
    for a, b in zip(half, full):
        if a.text == b.text:
            assert np.abs(np.array([d.box for d in a.digits]) - [d.box for d in b.digits]).max() <= 4


def test_small_writing_is_searched_again_at_full_size(classifier, mnist, monkeypatch):
    # Digits under FINE_ENOUGH at half size would be read from too few pixels (a thin 4's gap
    # closes into a 9): the frame is searched again at full size and reads as it does there.
    frames = _photos_640(mnist, 12, 20, 2 * reader.FINE_ENOUGH - 12)
    sizes = _searched_sizes(monkeypatch)
    texts = [read_frame(f, classifier).text for f in frames]
    assert sizes.count((480, 640)) == len(frames), sizes
    monkeypatch.setattr(reader, "HALF_FROM", 10**6)
    assert texts == [read_frame(f, classifier).text for f in frames]


def test_the_ink_colour_is_decided_once_for_both_searches_of_a_frame(classifier, mnist, monkeypatch):
    # Deciding it samples the frame's histogram, which cost more than the full-size search's
    # labelling; and both searches of a frame must look for ink of the same colour.
    frames = _photos_640(mnist, 6, 20, 2 * reader.FINE_ENOUGH - 12)  # searched at half size, then full
    frames = [f for f in frames if not ink_is_light(to_grey(f))]  # pen on paper, not chalk
    assert len(frames) >= 3
    auto = [read_frame(f, classifier) for f in frames]
    calls = []

    def counted(grey):
        calls.append(grey.shape)
        return ink_is_light(grey)

    monkeypatch.setattr(ink_module, "ink_is_light", counted)
    sizes = _searched_sizes(monkeypatch)
    again = [read_frame(f, classifier) for f in frames]
    assert calls == [(240, 320)] * len(frames) and sizes.count((480, 640)) == len(frames), (calls, sizes)
    assert [r.text for r in again] == [r.text for r in auto]
    dark = [read_frame(f, classifier, ReaderOptions(polarity="dark")) for f in frames]
    assert len(calls) == len(frames) and [r.text for r in dark] == [r.text for r in auto]


@pytest.mark.parametrize("seed, index", [(2024, 99), (7, 14)])
def test_a_texture_searched_at_half_size_is_still_no_digit(classifier, seed, index):
    # A shadow's fade is half as many pixels long at half size; judged by the full frame's
    # pixels, these textures' soft blobs were ink and read "32" and "7 ?".
    image = synth.non_digit_sample(np.random.default_rng([seed, 10**6 + index]), "texture").image  # make_non_digits
    assert read_frame(image, classifier).digits == []


@pytest.mark.parametrize("index, text", [(70, "14"), (145, "1")])
def test_a_dark_mark_with_a_blurred_edge_is_ink_not_a_shadow(classifier, mnist, index, text):
    # Thick marker digits 400-700 px tall, out of focus: their edge fades over 20 px, past the
    # limit for ink in a 1280-px photo, and they were taken for shadows and flattened (the 1 of
    # 14 was lost; the 1 read as 8). A shadow never darkens the paper by 60%.
    sample = synth.marker_sample(np.random.default_rng([77, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("depth, index, text", [(0.65, 0, "845"), (0.75, 0, "312"), (0.75, 3, "13543")])
def test_the_edge_of_a_deep_shadow_over_the_number_is_no_digit(classifier, mnist, depth, index, text):
    # A phone or a hand under a lamp, taking 65-75% of the light over the number: the shadow's
    # edge is steeper than the paper estimate on a 16 times smaller copy follows, and its inner
    # rim stood out as ink, read as 1s at the ends of the number ("8451", "135431") or made
    # the number unsure.
    rng = np.random.default_rng([99, int(depth * 100), 1, index])
    sample = synth.shadow_sample(rng, mnist.test.x, mnist.test.y, depth, over=True)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, text", [(11, 287, "29"), (2024, 98, "465")])
def test_a_shadow_in_a_noisy_photo_is_still_a_shadow(classifier, mnist, seed, index, text):
    # A phone in dim light: noise of 10 grey levels, then JPEG 70. The slope at a shadow's
    # outline was mostly the noise's, so the shadow passed for ink: it was taller than the
    # digits and made them specks, or the number in it was lost; the photos read nothing.
    assert synth.CYCLE[index % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y)
    rng = np.random.default_rng([seed, index, 10])
    noisy = np.clip(sample.image + rng.normal(0, 10, sample.image.shape), 0, 255).astype(np.uint8)
    noisy = cv2.imdecode(cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 70])[1], cv2.IMREAD_UNCHANGED)
    assert read_frame(noisy, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, text", [(2024, 87, "8"), (2024, 96, "87277027"), (5, 134, "98")])
def test_a_small_blurred_8_keeps_the_light_in_its_loops(classifier, mnist, seed, index, text):
    # An 8 about 24 px tall in a blurred photo: its darkness scaled to the solid stroke (the
    # 0.75 quantile) made a plateau of the whole digit, the lighter loops rose to full ink,
    # and it read as a blob ("?"); scaled to its darkest strokes, the loops stay open.
    assert synth.CYCLE[index % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, text", [(2024, 251, "4282"), (21, 0, "1778")])
def test_a_digit_out_of_focus_is_ink_where_the_rest_of_the_number_is(classifier, mnist, seed, index, text):
    # A blurred photo: the 4 of "4282", in a thin pen, faded over 20 px, over the limit for a
    # shadow in a 1280x960 frame, and was flattened as one ("282"); a 7 of "1778" likewise
    # became a 1. The other digits of the frame fade over 7-9 px: one focus, so it is ink.
    assert synth.CYCLE[index % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("seed, index, text", [(21, 56, "362"), (5, 282, "508")])
def test_a_number_in_a_band_of_shadow_that_runs_off_the_photo_stays(classifier, mnist, seed, index, text):
    # A band of shadow across the page, running off the photo, joined the digits written in it
    # in a thick pen. Taken for the table around the page, it was opened by its mean width,
    # narrower than the strokes, and the digits went with it ("2" for "362").
    assert synth.CYCLE[index % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([seed, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("index, text", [(7, "774"), (17, "0155"), (92, "33")])
def test_a_page_on_a_dark_desk_that_fills_most_of_the_frame_is_paper(classifier, mnist, index, text):
    # A page photographed from further off: the desk around it was most of the frame and its
    # median dark, so the ink was taken to be light and the page itself a mark; nothing read.
    sample = synth.desk_sample(np.random.default_rng([123, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


@pytest.mark.parametrize("index, text", [(11, "938433"), (70, "759330"), (80, "2243"), (116, "24403")])
def test_a_wedge_of_desk_beside_a_turned_page_is_no_digit(classifier, mnist, index, text):
    # A page turned on a dark desk: the paper estimate followed the desk and lagged near the
    # page's edge, where a wedge of desk stood out as a tall 1 and made the digits specks beside
    # it ("1" for "2243"), or a piece of the desk took the number into its group ("").
    sample = synth.desk_sample(np.random.default_rng([123, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


def test_the_slivers_of_a_page_corner_over_a_dark_desk_are_no_mark(mnist):
    # Desk photo 36 of seed 123: along the page's corner the paper estimate lags, and two slivers
    # of desk, 2 and 3 px thin and each shorter than half the digits, made an L read as "?" beside
    # the number "00", whose line then held more unsure marks than sure ones.
    sample = synth.desk_sample(np.random.default_rng([123, 36]), mnist.test.x, mnist.test.y)
    boxes = [m.box for m in find_writing(to_grey(sample.image))]
    assert len(boxes) == 2 and all(240 < y < 260 for _, y, _, _ in boxes), boxes


def test_the_long_bar_of_a_7_in_thick_marker_is_no_underline(classifier, mnist):
    # Generated photo 58 of seed 2024: a 7 whose bar is 1.6 times its height, its rounded
    # corner jutting 3 px past the stroke below it: the bar was cut away as an underline
    # running past the digit on both sides, and the rest read as "?".
    assert synth.CYCLE[58 % 20] == "photo"
    sample = synth.photo_sample(np.random.default_rng([2024, 58]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == "07"


@pytest.mark.parametrize("text, font, scale", [("4431", cv2.FONT_HERSHEY_COMPLEX, 2.5),
                                                ("44631309", cv2.FONT_HERSHEY_SIMPLEX, 2.0)])
def test_bars_of_crowded_4s_that_join_the_next_digits_are_no_ruled_line(classifier, text, font, scale):
    # In bold, crowded digits a little out of focus the bar of a 4 runs into the next digit, and
    # two 4s side by side make a level run longer than a line's length: it was cut away as a
    # line through the writing, and the 4s lost their feet (4431 read as 31). A line runs past
    # the writing on at least one side.
    page = np.full((480, 640), 200, np.uint8)
    cv2.putText(page, text, (30, 410), font, scale, 60, 4, cv2.LINE_AA)
    page = cv2.GaussianBlur(page, (0, 0), 1.0)
    assert read_frame(page, classifier).text == text


@pytest.mark.parametrize("scale", [2.5, 3.3, 3.6])
def test_digits_that_touch_at_half_size_are_searched_again_at_full_size(classifier, monkeypatch, scale):
    # Bold digits crowded together, 68-97 px tall: at half size the gaps between them close up,
    # they make one mark that no cut parts into digits, and it read as "?". A wide mark that
    # reads unsurely at half size may be touching digits: the frame is searched at full size.
    page = np.full((480, 640), 200, np.uint8)
    cv2.putText(page, "4431", (10, 410), cv2.FONT_HERSHEY_COMPLEX, scale, 60, 4, cv2.LINE_AA)
    page = cv2.GaussianBlur(page, (0, 0), 1.0)
    sizes = _searched_sizes(monkeypatch)
    assert read_frame(page, classifier).text == "4431"
    assert sizes == [(240, 320), (480, 640)], sizes


def test_numbers_typed_in_stroke_fonts_are_read(classifier):
    # Shapes that neither MNIST's writers nor this generator's digits have, photographed the same
    # way: the reader must not only work on the digits its model and the generator share.
    samples = [synth.typed_sample(np.random.default_rng([5, i]), font)
               for i in range(50) for font in ("script", "simplex")]
    right = _read_right(classifier, [(s.image, s.text) for s in samples])
    assert right >= 90, right  # measured 97 of 100


def test_a_28x28_mnist_image_whose_digit_comes_near_its_edge_is_read_as_it_is(classifier, mnist):
    # A user's MNIST-style crop, with no margin added: where the digit ends a pixel short of
    # the edge, the denoised ink mask reached the edge and the digit counted as cut ("?").
    near = [i for i in range(3000) if mnist.test.x[i][[0, 1, 26, 27]].any() or mnist.test.x[i][:, [0, 1, 26, 27]].any()]
    right = sum(read_frame(mnist.test.x[i], classifier).text == str(mnist.test.y[i]) for i in near)
    # measured 312 of 329 (316 before a digit alone had to read 0.7; 274 before)
    assert len(near) > 300 and right >= 0.9 * len(near), (right, len(near))


@pytest.mark.parametrize("seed, index", [(2024, 7), (5, 17), (7, 27), (13, 87), (31, 32), (41, 82)])
def test_a_scribble_alone_that_reads_as_a_digit_unsurely_is_not_sure(classifier, seed, index):
    # Generated scribbles, each the only mark of its image, read as 5, 8, 6, 5, 2 and 8 at 0.5-0.7
    # and were sure; alone in a frame, a mark must read 0.7 (edge.reader._surer_alone).
    sample = synth.non_digit_sample(np.random.default_rng([seed, 10**6 + index]), "scribble")  # as make_non_digits
    reading = read_frame(sample.image, classifier)
    assert len(reading.digits) == 1 and reading.digits[0].digit != 1 and not reading.digits[0].accepted


@pytest.mark.parametrize("seed, index", [(11, 71), (101, 76)])
def test_a_stretch_of_the_margin_line_thickened_by_a_shadow_is_no_1(classifier, seed, index):
    # Generated non-digit images: ruled paper with a margin line, under a shadow band. Where
    # the shadow made the margin line thicker than the rest of it, the stretch between two
    # ruled lines was kept as writing and read as a sure 1 (6 and 4 px wide: a wall is 3).
    sample = synth.non_digit_sample(np.random.default_rng([seed, 10**6 + index]), "ruled")  # as make_non_digits
    assert not [d for d in read_frame(sample.image, classifier).digits if d.accepted]


@pytest.mark.slow
def test_mnist_through_the_whole_pipeline_is_within_half_a_point_of_the_classifier(classifier, mnist):
    alone = np.mean(classifier.predict_many(mnist.test.x).argmax(1) == mnist.test.y)
    options = ReaderOptions(min_confidence=0.0)
    texts = [read_frame(np.pad(img, 4), classifier, options).text for img in mnist.test.x]
    piped = np.mean([t == str(y) for t, y in zip(texts, mnist.test.y)])
    assert alone - piped <= 0.005, (alone, piped)


@pytest.mark.parametrize("word", ["HOME", "KOH", "AXO"])
def test_a_word_whose_o_alone_reads_as_zero_gives_no_number(classifier, word):
    page = np.full((240, 640), 225, np.uint8)
    cv2.putText(page, word, (40, 170), cv2.FONT_HERSHEY_SIMPLEX, 4, 40, 10, cv2.LINE_AA)
    reading = read_frame(page, classifier)
    assert 1 <= len(reading.digits) <= len(word)  # letters that read as no digit at all are left out
    assert max(d.confidence for d in reading.digits) >= ReaderOptions().min_confidence  # the O, taken alone
    assert not any(d.accepted for d in reading.digits) and set(reading.text) == {"?"}


def _paint_drawing(digit28, canvas=500, brush=25, jpeg=True):
    """The notebook's own test: a digit drawn with a white brush on a black Paint canvas, saved as JPEG."""
    big = cv2.resize(digit28, (canvas * 3 // 4, canvas * 3 // 4), interpolation=cv2.INTER_CUBIC)
    img = np.zeros((canvas, canvas), np.uint8)
    off = canvas // 8
    img[off : off + big.shape[0], off : off + big.shape[1]] = (big > 100) * 255
    img = cv2.dilate(img, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (brush, brush)))
    if jpeg:
        img = cv2.imdecode(cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_GRAY2BGR))[1], cv2.IMREAD_COLOR)
    return img


@pytest.mark.parametrize("brush", [3, 25, 45])
def test_notebook_style_white_on_black_drawings_read_correctly(classifier, mnist, brush):
    picks = [int(np.flatnonzero(mnist.test.y == d)[1]) for d in range(10)]
    texts = [read_frame(_paint_drawing(mnist.test.x[i], brush=brush), classifier).text for i in picks]
    assert sum(t == str(mnist.test.y[i]) for t, i in zip(texts, picks)) >= 9, texts


def _edge_to_edge(digit28, dark_on_light):
    """A Paint drawing whose digit fills the canvas: its ink touches two opposite edges."""
    ys, xs = np.nonzero(digit28 > 60)
    crop = digit28[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    scale = 280 / max(crop.shape)
    big = cv2.resize(crop, (round(crop.shape[1] * scale), round(crop.shape[0] * scale)), interpolation=cv2.INTER_CUBIC)
    canvas = np.zeros((280, 280), np.uint8)
    y0, x0 = (280 - big.shape[0]) // 2, (280 - big.shape[1]) // 2
    canvas[y0 : y0 + big.shape[0], x0 : x0 + big.shape[1]] = (big > 100) * 255
    canvas = 255 - canvas if dark_on_light else canvas
    return cv2.imdecode(cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 75])[1], cv2.IMREAD_GRAYSCALE)


def test_drawings_whose_digit_touches_the_canvas_edges_read_correctly(classifier, mnist):
    picks = [int(i) for d in range(10) for i in np.flatnonzero(mnist.test.y == d)[:2]]
    texts = [read_frame(_edge_to_edge(mnist.test.x[i], dark), classifier).text for i in picks for dark in (0, 1)]
    right = sum(t == str(mnist.test.y[i]) for t, i in zip(texts, np.repeat(picks, 2)))
    assert right >= 34, texts  # measured 38 of 40 (0 of 40 while such marks were taken for the frame edge)


@pytest.mark.parametrize("dark_on_light", [True, False])
def test_a_brush_digit_covering_more_of_the_canvas_than_its_ground_is_read(classifier, mnist, dark_on_light):
    # A brush so wide that the digit covers half the canvas or more: by its commonest level, the
    # ground was the ink, and the reader saw a hole in a page (0 of these 12 read, then 12).
    texts, labels = [], []
    for i in (0, 1, 6, 15, 17, 22):
        ink = (cv2.resize(mnist.test.x[i], (300, 300), interpolation=cv2.INTER_CUBIC) > 127).view(np.uint8)
        while ink.mean() < 0.52:  # widened by a 3-px brush at a time
            ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
        page = np.where(ink > 0, 0, 255).astype(np.uint8)
        texts.append(read_frame(page if dark_on_light else 255 - page, classifier).text)
        labels.append(str(mnist.test.y[i]))
    assert texts == labels


def _form(mnist, rng, count, size):
    """A scanned form: each digit written inside a printed box, boxes side by side."""
    page, text = np.full((400, 120 + count * int(size * 1.3)), 240, np.uint8), ""
    for k in range(count):
        x0, y0 = 40 + k * int(size * 1.3), 120
        cv2.rectangle(page, (x0, y0), (x0 + size, y0 + int(size * 1.2)), 90, int(rng.integers(1, 4)))
        i = int(rng.integers(0, len(mnist.test.x)))
        digit = cv2.resize(mnist.test.x[i], (int(size * 0.9),) * 2)
        y1, x1 = y0 + int(size * 0.15), x0 + int(size * 0.05)
        window = page[y1 : y1 + digit.shape[0], x1 : x1 + digit.shape[1]]
        window[:] = np.minimum(window, 255 - digit)
        text += str(mnist.test.y[i])
    return page, text


def test_digits_in_printed_form_boxes_are_read_without_the_boxes(classifier, mnist):
    rng = np.random.default_rng(1)
    forms = [_form(mnist, rng, int(rng.integers(3, 8)), int(rng.integers(50, 100))) for _ in range(10)]
    right = [read_frame(page, classifier).text == text for page, text in forms]
    assert sum(right) >= 8, right  # measured 8 of 10 (none before boxes were recognised)


def _comb(mnist, rng):
    """A form's comb field: one printed box per digit, the boxes sharing their walls."""
    n, cell = int(rng.integers(3, 9)), int(rng.integers(35, 90))
    width, shade, fill = int(rng.integers(1, 4)), int(rng.integers(40, 160)), rng.uniform(0.75, 1.0)
    page, x0, y0, tall = np.full((cell * 3, 100 + n * cell), 238, np.uint8), 50, cell, int(cell * 1.2)
    cv2.rectangle(page, (x0, y0), (x0 + n * cell, y0 + tall), shade, width)
    for k in range(1, n):
        cv2.line(page, (x0 + k * cell, y0), (x0 + k * cell, y0 + tall), shade, width)
    picks = rng.integers(0, len(mnist.test.x), n)
    for k, i in enumerate(picks):
        size = int(cell * fill)
        y, x = y0 + (tall - size) // 2 + int(rng.integers(-3, 4)), x0 + k * cell + (cell - size) // 2
        window = page[y : y + size, x : x + size]
        window[:] = np.minimum(window, 255 - cv2.resize(mnist.test.x[i], (size, size)))
    return cv2.GaussianBlur(page, (3, 3), 0), "".join(str(mnist.test.y[i]) for i in picks)


def test_digits_in_a_comb_field_are_read_without_its_walls(classifier, mnist):
    rng = np.random.default_rng(5)
    combs = [_comb(mnist, rng) for _ in range(40)]
    right = sum(read_frame(page, classifier).text == text for page, text in combs)
    assert right >= 30, right  # measured 36 of 40 (16 of 40 while the walls read as 1s)


def _ringed(mnist, rng, kind):
    """A number with a ring drawn around it (closed, or left open by 10 degrees) or a box."""
    page, picks = np.full((480, 640), 230, np.uint8), rng.integers(0, len(mnist.test.x), int(rng.integers(1, 5)))
    size, x = int(rng.integers(40, 80)), 150
    for i in picks:
        window = page[200 : 200 + size, x : x + size]
        window[:] = np.minimum(window, 255 - cv2.resize(mnist.test.x[i], (size, size)))
        x += int(size * rng.uniform(0.8, 1.1))
    centre, axes = ((150 + x) // 2, 200 + size // 2), ((x - 150) // 2 + 30, size // 2 + 30)
    if kind == "box":
        corners = np.array([[130, 180], [x + 20, 178], [x + 22, 220 + size], [128, 222 + size]])
        cv2.polylines(page, [(corners + rng.integers(-4, 5, (4, 2))).astype(np.int32)], True, 50, 3)
    else:
        start = float(rng.uniform(0, 360))
        cv2.ellipse(page, centre, axes, 0, start, start + (360 if kind == "ring" else 350), 50, 3)
    return cv2.GaussianBlur(page, (3, 3), 0), "".join(str(mnist.test.y[i]) for i in picks)


@pytest.mark.parametrize("kind", ["ring", "open ring", "box"])
def test_a_ring_or_box_drawn_around_the_number_is_not_read(classifier, mnist, kind):
    rng = np.random.default_rng(3)
    pages = [_ringed(mnist, rng, kind) for _ in range(30)]
    right = _read_right(classifier, pages)
    assert right >= 24, right  # measured 28, 27, 28 of 30 (1, 1, 16 while the ring was read as the number)


def _on_squared_paper(mnist, rng):
    """A number written over squared paper whose grid is as dark as pencil: the digits touch
    the grid, which crosses the whole frame."""
    page, cell, shade = np.full((480, 640), 228, np.uint8), int(rng.integers(18, 36)), int(rng.integers(90, 150))
    for y in range(5, 480, cell):
        cv2.line(page, (0, y), (640, y), shade, 1)
    for x in range(5, 640, cell):
        cv2.line(page, (x, 0), (x, 480), shade, 1)
    size, x, picks = int(cell * rng.uniform(1.5, 2.5)), 80, rng.integers(0, len(mnist.test.x), int(rng.integers(2, 7)))
    for i in picks:
        window = page[200 : 200 + size, x : x + size]
        window[:] = np.minimum(window, 255 - cv2.resize(mnist.test.x[i], (size, size)))
        x += int(size * rng.uniform(0.8, 1.1))
    return cv2.GaussianBlur(page, (3, 3), 0), "".join(str(mnist.test.y[i]) for i in picks)


def test_numbers_on_dark_squared_paper_come_free_of_the_grid(classifier, mnist):
    rng = np.random.default_rng(3)
    pages = [_on_squared_paper(mnist, rng) for _ in range(30)]
    right = _read_right(classifier, pages)
    assert right >= 21, right  # measured 25 of 30 (18 while digits touching the grid went with it)


def _on_ruled_paper(mnist, rng, underline, slant=0.0, desk=False, digits=True):
    """A number written on ruled paper, digits sitting on a line that is as dark as pencil or
    pen; or on plain paper with a hand-drawn underline touching the digits' feet. ``slant``
    turns the page by that many degrees either way (a phone held at an angle). ``desk``: a
    notebook page, with a margin line, lying on a dark desk that shows around it (the lines
    run to the page's edge, where they join the desk). ``digits`` False: the page alone."""
    page, picks = np.full((480, 640), 225, np.uint8), rng.integers(0, len(mnist.test.x), int(rng.integers(2, 7)))
    spacing, shade, width = int(rng.integers(30, 60)), int(rng.integers(60, 170)), int(rng.integers(1, 3))
    base, size, x = 15 + spacing * (240 // spacing), int(spacing * 1.25), 60
    shade = 140 + shade // 3 if desk else shade  # a notebook's lines are printed light (160-196 grey)
    for y in range(15, 480, spacing) if not underline else ():
        cv2.line(page, (0, y), (640, y), shade, width)
    if desk:
        cv2.line(page, (40, 0), (40, 480), shade - 30, width + 1)  # its margin line, darker
    for i in picks if digits else ():
        digit = cv2.resize(mnist.test.x[i], (size, size))
        y = base - int(np.nonzero(digit.max(1) > 60)[0].max()) - 1 + int(rng.integers(-2, 3))
        page[y : y + size, x : x + size] = np.minimum(page[y : y + size, x : x + size], 255 - digit)
        x += int(size * rng.uniform(0.8, 1.1))
    if underline:
        cv2.line(page, (50, base + 3), (x + 10, base + int(rng.integers(-4, 8))), shade // 2, width + 1)
    if slant:
        turn = cv2.getRotationMatrix2D((320, 240), slant * rng.choice([-1, 1]), 1.0)
        page = cv2.warpAffine(page, turn, (640, 480), borderMode=cv2.BORDER_REFLECT)
    if desk:  # the page's corners drawn in by 10-40 px, the desk 50-90 grey around it
        corners = np.float32([[0, 0], [640, 0], [640, 480], [0, 480]])
        inset = corners + rng.uniform(10, 40, (4, 2)).astype(np.float32) * [[1, 1], [-1, 1], [-1, -1], [1, -1]]
        m = cv2.getPerspectiveTransform(corners, inset.astype(np.float32))
        page = cv2.warpPerspective(page, m, (640, 480), borderValue=int(rng.integers(50, 90)))
    return cv2.GaussianBlur(page, (3, 3), 0), "".join(str(mnist.test.y[i]) for i in picks) if digits else ""


@pytest.mark.parametrize("underline", [False, True], ids=["ruled", "underlined"])
def test_numbers_on_ruled_paper_or_underlined_are_read(classifier, mnist, underline):
    rng = np.random.default_rng(1)
    pages = [_on_ruled_paper(mnist, rng, underline) for _ in range(40)]
    right = _read_right(classifier, pages)
    assert right >= 30, right  # measured 37 and 36 of 40 (17 and 0 before lines were cut away)


def test_numbers_on_ruled_paper_photographed_at_a_slant_are_read(classifier, mnist):
    rng = np.random.default_rng(4)
    pages = [_on_ruled_paper(mnist, rng, False, slant=rng.uniform(3, 8)) for _ in range(30)]
    right = _read_right(classifier, pages)
    assert right >= 23, right  # measured 27 of 30 (15 while slanted lines were not cut free of the digits)


def test_a_number_on_a_ruled_page_lying_on_a_desk_is_read(classifier, mnist):
    # A notebook page photographed on a desk: its lines run to the page's edge and join the desk
    # around it, and so does every digit written on them. All of it went as the table around
    # the page, and the photo read nothing; the same page without a number still reads nothing.
    rng = np.random.default_rng(6)
    pages = [_on_ruled_paper(mnist, rng, False, desk=True) for _ in range(30)]
    right = _read_right(classifier, pages)
    assert right >= 25, right  # measured 27 of 30 (23 while lines joined to the desk went with it)
    blank = [_on_ruled_paper(mnist, rng, False, desk=True, digits=False)[0] for _ in range(30)]
    assert sum(any(d.accepted for d in read_frame(page, classifier).digits) for page in blank) <= 0


@pytest.mark.parametrize("index, text", [(11, "480088"), (95, "25")])
def test_a_number_joined_by_its_ruled_line_is_read_beside_the_desk(classifier, mnist, index, text):
    # Generated notebook pages: the line under the number joins its digits into one mark over six
    # times as wide as tall, a ruled line to cut; but the desk around the page, taller than the
    # number, set the height that such a line must join, and the number went as a line.
    sample = synth.notebook_sample(np.random.default_rng([21, index]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == text


def test_a_mark_whose_crop_holds_no_ink_is_no_digit(classifier, mnist):
    # The model reads a blank 28x28 image as a sure 1 (0.90): a stretch of a ruled line's rim, too
    # faint to leave ink in its crop, read as a 1 in front of this generated notebook page's 291.
    assert np.allclose(reader._read(classifier, np.zeros((2, 28, 28), np.uint8)), 0.1)
    sample = synth.notebook_sample(np.random.default_rng([21, 76]), mnist.test.x, mnist.test.y)
    assert read_frame(sample.image, classifier).text == sample.text == "291"


def test_scattered_marks_that_are_mostly_not_digits_give_no_number(classifier):
    page = np.full((480, 640), 225, np.uint8)
    for k, letter in enumerate("KOXM"):  # each on a line of its own, so only the frame as a whole can tell
        cv2.putText(page, letter, (40 + 150 * k, 100 + 110 * k), cv2.FONT_HERSHEY_SIMPLEX, 2.5, 40, 8, cv2.LINE_AA)
    reading = read_frame(page, classifier)
    assert len(reading.text.split()) == len(reading.digits) >= 1  # one line each; no-digit-at-all letters left out
    assert max(d.confidence for d in reading.digits) >= ReaderOptions().min_confidence  # the O, taken alone
    assert not any(d.accepted for d in reading.digits)


def test_a_number_on_a_printed_form_is_read_among_the_print(classifier, mnist):
    # The print's letters are no digits; the handwritten line is, and stands on its own.
    page = np.full((700, 900), 245, np.uint8)
    for row in range(8):
        cv2.putText(page, "Account number", (40, 60 + 80 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 30, 2, cv2.LINE_AA)
    for k, i in enumerate((0, 1, 2, 3)):  # 7 2 1 0, 60 px, beside the print
        window = page[300:360, 420 + 60 * k : 480 + 60 * k]
        window[:] = np.minimum(window, 255 - cv2.resize(mnist.test.x[i], (60, 60)))
    reading = read_frame(cv2.GaussianBlur(page, (3, 3), 0), classifier)
    assert "7210" in reading.text.split() and reading.text.count("?") == len(reading.text.replace(" ", "")) - 4


@pytest.mark.parametrize("label", ["Amount:", "No.", "Total"])
def test_a_printed_label_beside_the_number_is_not_read(classifier, mnist, label):
    page, text = np.full((300, 700), 230, np.uint8), ""
    cv2.putText(page, label, (20, 170), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 40, 2, cv2.LINE_AA)  # 'T' 'l' 'o' 'N'
    for k, i in enumerate((0, 1, 2, 3)):
        digit = cv2.resize(mnist.test.x[i], (70, 70))
        window = page[115:185, 250 + 60 * k : 320 + 60 * k]
        window[:] = np.minimum(window, 255 - digit)
        text += str(mnist.test.y[i])
    assert read_frame(page, classifier).text == text  # "??17210" for "Total" while text-sized marks were kept


def _number_on_a_form(mnist, label: str, above: bool, sizes=(1.0, 1.0, 1.0, 1.0)) -> tuple:
    """(page, text): MNIST's first four test digits handwritten 110 px tall (ink ~80 px), each
    scaled by ``sizes``, bottoms on one line, and a printed ``label`` left of or above them
    whose capitals are 44 px, 0.55 of the digits."""
    page, text, x = np.full((420, 960), 235, np.uint8), "", 330
    for i, size in enumerate(sizes):
        side = int(110 * size)
        window = page[330 - side : 330, x : x + side]
        window[:] = np.minimum(window, 255 - cv2.resize(mnist.test.x[i], (side, side)))
        text, x = text + str(mnist.test.y[i]), x + int(0.75 * side)
    cv2.putText(page, label, (330, 180) if above else (30, 300), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 40, 4, cv2.LINE_AA)
    return cv2.GaussianBlur(page, (3, 3), 0), text


@pytest.mark.parametrize("label, above", [("Age:", False), ("Date", False), ("Seat", True), ("Class", True)])
def test_a_printed_label_over_half_the_numbers_height_is_not_read(classifier, mnist, label, above):
    # Capitals over half the digits' height passed as writing: A read 9, D 0, S 5, l 1, and
    # their line or frame left the number unsure ("97210", "087210", "? 7210" while they were kept).
    page, text = _number_on_a_form(mnist, label, above)
    assert read_frame(page, classifier).text == text


@pytest.mark.parametrize("sizes", [(0.55, 1.0, 1.0, 1.0), (1.0, 0.55, 1.0, 1.0), (1.0, 1.0, 1.0, 0.55)])
def test_a_digit_written_small_in_a_number_is_kept(classifier, mnist, sizes):
    page, text = _number_on_a_form(mnist, "", False, sizes)
    assert read_frame(page, classifier).text == text


def test_a_row_that_shrinks_into_the_distance_is_read_whole(classifier, mnist):
    # A row photographed at a slant: its far digits under 0.6 of the near one's height, each
    # step smaller by a fifth at most, are the number's, not a label beside it.
    page, text = _number_on_a_form(mnist, "", False, (1.0, 0.82, 0.68, 0.58, 0.54))
    assert read_frame(page, classifier).text == text


def _last_digit_cut_off(mnist, rng):
    """A photo of a four-digit number whose last digit runs off the right edge of the frame."""
    page = np.full((240, 400), 225, np.float32) + rng.normal(0, 3, (240, 400))
    picks = rng.integers(0, len(mnist.test.x), 4)
    for k, i in enumerate(picks):
        page[80:160, 40 + 80 * k : 120 + 80 * k] -= cv2.resize(mnist.test.x[i], (80, 80)) * 0.7
    page = cv2.GaussianBlur(np.clip(page, 0, 255), (0, 0), 1.0)[:, :320]  # the frame ends mid-digit
    return page.astype(np.uint8), "".join(str(mnist.test.y[i]) for i in picks[:3])


def test_a_digit_cut_by_the_frame_reads_as_unsure(classifier, mnist):
    rng = np.random.default_rng(0)
    pages = [_last_digit_cut_off(mnist, rng) for _ in range(30)]
    texts = [(read_frame(page, classifier).text, text) for page, text in pages]
    assert not [t for t, _ in texts if len(t.replace("?", "")) > 3], texts  # measured 0 of 30 (16 before)
    assert sum(t.startswith(text) for t, text in texts) >= 25, texts  # measured 28 of 30


def _touching(mnist, rng, n=2, overlap=2):
    """``n`` MNIST digits written so close that their strokes touch, each ``overlap`` of 28 px over
    the one before: one ink mark for them all."""
    picks = [int(i) for i in rng.integers(0, len(mnist.test.x), n)]

    def tight(d):
        cols = np.flatnonzero(d.max(0) > 50)
        return d[:, cols.min() : cols.max() + 1]

    parts = [tight(mnist.test.x[i]) for i in picks]
    row, at = np.zeros((28, sum(p.shape[1] for p in parts) - overlap * (n - 1)), np.uint8), 0
    for part in parts:
        row[:, at : at + part.shape[1]] = np.maximum(row[:, at : at + part.shape[1]], part)
        at += part.shape[1] - overlap
    big = cv2.resize(row, (row.shape[1] * 6, 168), interpolation=cv2.INTER_CUBIC)
    page = np.full((300, big.shape[1] + 200), 235, np.uint8)
    page[60:228, 100 : 100 + big.shape[1]] = np.minimum(235, 255 - big)
    return page, "".join(str(mnist.test.y[i]) for i in picks)


def test_touching_digits_are_split_into_two(classifier, mnist):
    rng = np.random.default_rng(3)
    pairs = [_touching(mnist, rng) for _ in range(100)]
    right = _read_right(classifier, pairs)
    assert right >= 62, right  # measured 69 of 100 (58 cut only near the middle, 35 without a split)


def test_digits_written_over_each_other_a_little_are_cut_apart(classifier, mnist):
    # Written fast, one digit's stroke crosses into the next: no column is clear of either, and
    # the narrow place where they meet is seldom near the middle of the mark.
    rng = np.random.default_rng(5)
    pairs = [_touching(mnist, rng, overlap=3) for _ in range(100)]
    right = _read_right(classifier, pairs)
    assert right >= 40, right  # measured 43 of 100 (36 cut only near the middle)


def test_three_or_four_touching_digits_are_split_apart(classifier, mnist):
    # "000" written fast, the digits of a price: a mark of three or four digits, where two
    # halves cannot both read as digits.
    rng = np.random.default_rng(3)
    runs = [_touching(mnist, rng, 3) for _ in range(100)] + [_touching(mnist, rng, 4) for _ in range(100)]
    right = _read_right(classifier, runs)
    assert right >= 72, right  # measured 78 of 200 (69 with pairs cut only near the middle, 46 while only
    # pairs were split)


def _with_a_separator(mnist, rng, separator: str):
    """Four MNIST digits written in one pen with a comma or a hyphen after the second ("12,50",
    "07-45"), as a scan: the reading is the digits alone."""
    picks = [int(i) for i in rng.integers(0, len(mnist.test.x), 4)]
    canvas, x = np.zeros((192, 900), np.float32), 40
    for k, i in enumerate(picks):
        digit = mnist.test.x[i]
        cols = np.flatnonzero(digit.max(0) > 50)
        big = cv2.resize(digit[:, cols[0] : cols[-1] + 1], ((cols[-1] - cols[0] + 1) * 4, 112),
                         interpolation=cv2.INTER_CUBIC).astype(np.float32)
        canvas[40:152, x : x + big.shape[1]] = np.maximum(canvas[40:152, x : x + big.shape[1]], big)
        x += big.shape[1] + 12
        if k == 1 and separator == ",":
            cv2.line(canvas, (x + 12, 130), (x + 4, 152), 255, 10)
            x += 40
        elif k == 1:
            cv2.line(canvas, (x + 4, 96), (x + 44, 96), 255, 10)
            x += 60
    page = cv2.GaussianBlur((235 - np.clip(canvas[:, : x + 40], 0, 255) * 0.765).astype(np.uint8), (3, 3), 0)
    return page, "".join(str(mnist.test.y[i]) for i in picks)


def test_a_comma_or_a_hyphen_beside_a_digit_is_read_apart_from_it(classifier, mnist):
    # Small beside a digit, a comma or a hyphen merges with it as a 5's bar or a broken stroke
    # would, and the digit read as "?"; the digit's largest piece alone reads surely.
    rng = np.random.default_rng(1)
    pages = [_with_a_separator(mnist, rng, separator) for separator in ",-" for _ in range(40)]
    right = _read_right(classifier, pages)
    assert right >= 54, right  # measured 61 of 80 (47 before the largest piece was read alone)


def test_a_wide_digit_read_as_surely_as_any_is_not_cut(classifier, mnist, monkeypatch):
    # Wide enough to hold two digits, but read as surely as the model reads its surest
    # digits: no cut can be read more surely, and trying the cuts costs a normalise per piece
    # and a model call.
    tried = []
    monkeypatch.setattr(reader, "cut_sets", lambda mark, n: tried.append(n) or cut_sets(mark, n))
    sure, unsure = 0, 0
    for digit, label in zip(mnist.test.x[:40], mnist.test.y[:40]):
        rows, cols = np.flatnonzero(digit.max(1) > 50), np.flatnonzero(digit.max(0) > 50)
        wide = cv2.resize(digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], (225, 150),
                          interpolation=cv2.INTER_CUBIC)
        page = np.full((300, 425), 235, np.uint8)
        page[75:225, 100:325] = np.minimum(235, 255 - wide)
        tried.clear()
        reading = read_frame(page, classifier)
        if reading.digits and reading.digits[0].confidence >= reader.SURE_WHOLE:
            assert not tried and reading.text == str(label), (reading.text, label, tried)
            sure += 1
        else:
            unsure += bool(tried)
    assert sure >= 12 and unsure >= 12, (sure, unsure)  # measured 16 and 24 of 40


def _two_strokes(digit, gap, brush, light, canvas, line=cv2.LINE_AA):
    """A 4 (arm, then stem) or a 9 (loop, then stem) drawn as a mouse draws it: two strokes
    that stop ``gap`` short of each other, in a 200-unit box on a ``canvas`` px square.
    ``line``: cv2.LINE_8 draws as a paint program's pencil does, without anti-aliasing."""
    loop = np.radians(np.linspace(0, 360, 40))
    strokes = {4: [[(50, 10), (15, 85), (70 - gap, 85)], [(70, 20), (70, 135)]],
               9: [np.stack([50 + 32 * np.cos(loop), 40 + 30 * np.sin(loop)], 1), [(82 + gap, 40), (75, 135)]]}
    page = np.full((canvas, canvas), 0 if light else 255, np.uint8)
    for stroke in strokes[digit]:
        points = ((np.asarray(stroke, float) + (50, 30)) * canvas / 200).astype(np.int32)
        cv2.polylines(page, [points], False, 255 if light else 0, brush, line)
    return page


def test_a_digit_drawn_in_two_strokes_that_do_not_touch_reads_as_one(classifier):
    # A 4 drawn as an arm and a stem, a 9 as a loop and a stem, the strokes stopping short of
    # each other: two marks side by side, read as "61" and "01".
    pages = [(_two_strokes(digit, gap, max(1, brush * canvas // 280), light, canvas), str(digit))
             for digit in (4, 9) for gap in (6, 12) for brush in (1, 3, 12) for light in (True, False)
             for canvas in (280, 800)]
    right = _read_right(classifier, pages)
    assert right >= 44, right  # measured 48 of 48 (12 before; 46 with no tolerance of 0.01)


def test_a_paint_pencil_drawing_on_a_canvas_over_twice_the_working_size_is_read(classifier):
    # A paint program's pencil draws 1-px lines without anti-aliasing. Shrunk by area to the
    # working size (2000 px), such a line on a 4000-px canvas or larger is half as dark or less,
    # too faint to be ink, and nothing was read; the lines of a drawing are widened first.
    pages = [(_two_strokes(digit, -4, 1, light, canvas, cv2.LINE_8), str(digit))
             for digit in (4, 9) for light in (True, False) for canvas in (4000, 5000, 6000)]
    right = _read_right(classifier, pages)
    assert right >= 11, right  # measured 12 of 12 (0 before: nothing, "?" or "11")


def _broken_stroke(digit, slant, gap, brush):
    """A 1 or a 7 whose steep down-stroke breaks halfway (a lifted mouse, a pencil gone light)
    for ``gap`` of its length."""
    page = np.full((400, 400), 255, np.uint8)
    top = np.array([200 + np.tan(np.radians(slant)) * 125, 75])
    foot = np.array([200 - np.tan(np.radians(slant)) * 125, 325])
    strokes = [[top + (foot - top) * t for t in ends] for ends in ((0, 0.5 - gap / 2), (0.5 + gap / 2, 1))]
    if digit == 7:
        strokes.append([top - (110, 0), top])
    for stroke in strokes:
        cv2.polylines(page, [np.array(stroke, np.int32)], False, 0, brush, cv2.LINE_AA)
    return page


def test_a_slanted_stroke_broken_in_two_is_one_digit(classifier):
    # The two pieces of a slanted stroke lie one above the other, but side by side they barely
    # overlap: they were two marks on two lines, and a 1 read as "1 1".
    pages = [(_broken_stroke(digit, slant, gap, brush), str(digit))
             for digit in (1, 7) for slant in (10, 20) for gap in (0.04, 0.08, 0.12) for brush in (1, 4, 12)]
    right = _read_right(classifier, pages)
    assert right >= 30, right  # measured 32 of 36, 18 before (left: 1-px lines broken for 12%: over 1/4 of a piece)


def test_digits_of_different_heights_written_close_stay_two(classifier, mnist):
    # The guard on the above: a short digit beside a tall one on the same line, 3-15% of the
    # height apart, is no stroke of it (the two, taken as one, can read surely as a third digit).
    rng = np.random.default_rng(0)
    pages = []
    for _ in range(400):
        i, j = rng.integers(0, len(mnist.test.x), 2)
        tall, short, gap = 100, int(100 * rng.uniform(0.6, 0.8)), int(100 * rng.uniform(0.03, 0.15))
        heights = (tall, short) if rng.random() < 0.5 else (short, tall)
        a, b = (_scaled_to(_tight(mnist.test.x[k]), h) for k, h in zip((i, j), heights))
        ink = np.zeros((200, a.shape[1] + b.shape[1] + gap + 100), np.float32)
        ink[150 - a.shape[0] : 150, 50 : 50 + a.shape[1]] = a
        ink[150 - b.shape[0] : 150, 50 + a.shape[1] + gap : 50 + a.shape[1] + gap + b.shape[1]] = b
        pages.append((cv2.GaussianBlur((230 - 0.8 * ink).astype(np.uint8), (0, 0), 0.8),
                       f"{mnist.test.y[i]}{mnist.test.y[j]}"))
    right = _read_right(classifier, pages)
    assert right >= 385, right  # measured 390 of 400, as before the joining; 379 joined on reading alone


def _tight(digit28):
    ys, xs = np.nonzero(digit28 > 40)
    return digit28[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _scaled_to(digit, height):
    return cv2.resize(digit, (max(1, digit.shape[1] * height // digit.shape[0]), height)).astype(np.float32)


def _number(mnist, picks):
    """A photo of MNIST test digits ``picks`` written in a row on paper."""
    page = np.full((200, 80 * len(picks) + 80), 225, np.float32)
    for k, i in enumerate(picks):
        page[60:140, 40 + 80 * k : 120 + 80 * k] -= cv2.resize(mnist.test.x[i], (80, 80)) * 0.7
    return cv2.GaussianBlur(page, (0, 0), 1.0).astype(np.uint8)


def test_a_number_in_thin_pen_under_a_soft_shadow_band_is_read(classifier):
    # A photo of "156" written in thin blue pen (the Shadows Into Light handwriting font, the
    # generator's paper, light and camera), a soft shadow band across the 1 and the 5. The
    # band's edge fades over 15 px; taken for ink, it joined the two digits in it and took the
    # 6 beside them into its box: the photo read as nothing.
    assert read_frame(load_image(ROOT / "tests" / "cases" / "shadow_band_156.jpg"), classifier).text == "156"


def _small_in_a_big_photo(mnist, rng):
    """A number 14-20 px tall, one of its digits a 1, in a 2000x1500 photo: a 12-MP phone photo
    of a page at the reader's working size, the number written small in a corner of it."""
    ones = np.flatnonzero(mnist.test.y == 1)
    picks = list(rng.integers(0, len(mnist.test.x), int(rng.integers(2, 6))))
    picks.insert(int(rng.integers(0, len(picks) + 1)), int(rng.choice(ones)))
    page = np.full((1500, 2000), rng.uniform(190, 230), np.float32)
    page *= np.linspace(1.0, rng.uniform(0.8, 1.0), 2000, dtype=np.float32)  # light falling off to a side
    height = int(rng.integers(14, 21))
    x, y = int(rng.integers(100, 1700)), int(rng.integers(100, 1350))
    for i in picks:
        digit = _scaled_to(_tight(mnist.test.x[i]), height) / 255
        h, w = digit.shape
        page[y : y + h, x : x + w] *= 1 - 0.75 * digit
        x += w + int(rng.integers(3, 10))
    return _photographed(page, rng), "".join(str(mnist.test.y[i]) for i in picks)


def test_a_small_number_in_a_big_photo_keeps_its_ones(classifier, mnist):
    # Ink specks smaller than a 1-px stroke 1/60 of the frame's size long are noise (29 px here).
    # As a share of the frame's area (3e-5: 90 px here) that floor dropped the 1s of a number
    # 14-20 px tall, and often its 7s and 4s too: every number lost digits.
    rng = np.random.default_rng(6)
    pages = [_small_in_a_big_photo(mnist, rng) for _ in range(16)]
    right = _read_right(classifier, pages)
    assert right >= 12, right  # measured 14 of 16 (0 while the floor was a share of the frame's area)


def test_an_unsure_digit_in_a_number_is_read_where_alone_it_is_not(classifier, mnist):
    # A mark beside sure digits on its line is a digit: its best guess is shown down to 0.6
    # of --min-confidence, where alone (or among non-digits) it stays "?".
    unsure = []
    for i in range(3000):
        digits = read_frame(_number(mnist, [i]), classifier).digits
        if len(digits) == 1 and 0.35 <= digits[0].confidence < 0.5 and digits[0].digit == mnist.test.y[i] \
                and digits[0].box[3] >= 45:  # as tall as the others (a flat one is a speck beside them)
            unsure.append(i)
    assert len(unsure) >= 5, unsure  # the model is unsure of a few MNIST digits written alone
    for i in unsure[:5]:
        assert read_frame(_number(mnist, [i]), classifier).text == "?"
        for sure in ([0, 1, 2], [0, 1]):  # MNIST test digits 7, 2, 1: read surely alone
            text = read_frame(_number(mnist, sure + [i]), classifier).text
            assert text == "".join(str(mnist.test.y[j]) for j in sure + [i]), (i, sure, text)


def _turned_row(mnist, rng, angle):
    """A photo of a row of 3-6 digits on a page turned ``angle`` degrees (positive: the row rises to the right)."""
    picks = rng.integers(0, len(mnist.test.x), int(rng.integers(3, 7)))
    page = np.full((600, 900), 225, np.float32)
    for k, i in enumerate(picks):
        page[250:330, 100 + 90 * k : 180 + 90 * k] -= cv2.resize(mnist.test.x[i], (80, 80)) * 0.75
    page = cv2.warpAffine(page, cv2.getRotationMatrix2D((450, 300), angle, 1.0), (900, 600), borderValue=225)
    return cv2.GaussianBlur(page, (0, 0), 1.0).astype(np.uint8), "".join(str(mnist.test.y[i]) for i in picks)


def test_a_row_on_a_page_turned_25_to_40_degrees_is_read_along_its_slant(classifier, mnist):
    rng = np.random.default_rng(0)
    pages = [_turned_row(mnist, rng, rng.choice([-1, 1]) * rng.uniform(25, 40)) for _ in range(30)]
    right = _read_right(classifier, pages)
    assert right >= 25, right  # measured 27 of 30 (1 while lines ran along the frame's horizontal)


def test_digits_on_a_page_turned_35_to_45_degrees_stay_apart(classifier, mnist):
    # There the next digit lies below and beside the last, as the halves of a broken steep
    # stroke do; taken for them, whole rows merged into one mark.
    rng = np.random.default_rng(1)
    pages = [_turned_row(mnist, rng, rng.choice([-1, 1]) * rng.uniform(35, 45)) for _ in range(40)]
    right = _read_right(classifier, pages)
    assert right >= 31, right  # measured 34 of 40, as before pieces could follow down; 26-29 without STEEP_STROKE


def _chalkboard(mnist, rng):
    """A row of 3-6 digits in chalk, 30 px tall, on a 320x240 photo of a board whose lighter
    wall shows in strips along the frame's sides, 2-3 times as tall as the digits."""
    picks = rng.integers(0, len(mnist.test.x), int(rng.integers(3, 7)))
    board = np.full((240, 320), 60, np.float32)
    for k, i in enumerate(picks):
        board[110:140, 40 + 40 * k : 70 + 40 * k] += cv2.resize(mnist.test.x[i], (30, 30)) * 0.6
    top, bottom = sorted(rng.integers(20, 200, 2))
    board[top : top + 70, :5] = 170
    board[bottom - 40 : bottom, 313:] = 170
    return _photographed(board, rng), "".join(str(mnist.test.y[i]) for i in picks)


def test_strips_of_a_wall_along_the_frames_sides_set_no_scale_for_the_writing(classifier, mnist):
    # The strips are the tallest marks; digits under half their height were dropped as specks
    # (each page read as "??", the strips as cut-off digits).
    rng = np.random.default_rng(0)
    pages = [_chalkboard(mnist, rng) for _ in range(20)]
    right = _read_right(classifier, pages)
    assert right >= 16, right  # measured 19 of 20 (none before)


def _lamp_lit(mnist, rng, chalk):
    """A row of 3-6 digits, 60 px tall, in a dim photo lit by a lamp to one side: the light
    falls from 140-175 to 60-85 grey across the frame (a board: 0.45 of that, chalk at 220)."""
    picks = rng.integers(0, len(mnist.test.x), int(rng.integers(3, 7)))
    angle = rng.uniform(0, 2 * np.pi)
    across = np.cos(angle) * np.arange(640)[None, :] + np.sin(angle) * np.arange(480)[:, None]
    across = (across - across.min()) / np.ptp(across)
    bright, dim = rng.uniform(140, 175), rng.uniform(60, 85)
    ground = (bright + (dim - bright) * across).astype(np.float32) * (0.45 if chalk else 1.0)
    ink = np.zeros((480, 640), np.float32)
    top = int(rng.integers(60, 360))
    for k, i in enumerate(picks):
        ink[top : top + 60, 60 + 75 * k : 120 + 75 * k] = cv2.resize(mnist.test.x[i], (60, 60)) / 255
    page = ground + (220 - ground) * ink if chalk else ground * (1 - 0.6 * ink)
    return _photographed(page, rng), "".join(str(mnist.test.y[i]) for i in picks)


@pytest.mark.parametrize("chalk", [False, True])
def test_a_dim_photo_lit_from_one_side_is_read_in_the_right_polarity(classifier, mnist, chalk):
    # Dim paper is as dark as a board; the lamp's falloff made a long light tail in the
    # histogram, which was taken for chalk (11 of 30 pages, read as nothing or as specks).
    rng = np.random.default_rng(0)
    pages = [_lamp_lit(mnist, rng, chalk) for _ in range(30)]
    assert sum(ink_is_light(page) == chalk for page, _ in pages) == 30
    assert _read_right(classifier, pages) >= 25  # measured 27 of 30 both (paper: 18 before)


def _write_row(mnist, rng, page, at, pitch, most):
    """Write 2 to ``most`` MNIST test digits on ``page`` (grey or colour), 60 px tall, in dark ink
    (80% of the paper's light taken), from the top-left ``at`` = (x, y), ``pitch`` px apart; the text."""
    picks = rng.integers(0, len(mnist.test.x), int(rng.integers(2, most + 1)))
    (x, y) = at
    for k, i in enumerate(picks):
        ink = 0.8 * cv2.resize(mnist.test.x[i], (60, 60)) / 255
        page[y : y + 60, x + pitch * k : x + pitch * k + 60] *= 1 - (ink if page.ndim == 2 else ink[..., None])
    return "".join(str(mnist.test.y[i]) for i in picks)


def _pen_on_the_page(mnist, rng):
    """A row of 2-5 digits with a pen or pencil lying on the page below it, at a slant of
    15-75 degrees either way, three to five digit heights long."""
    page = np.full((480, 640), 220, np.float32)
    text = _write_row(mnist, rng, page, (120, 110), 75, most=5)
    angle, length = np.radians(rng.uniform(15, 75) * rng.choice([-1, 1])), rng.uniform(180, 260)
    dx, dy = np.cos(angle) * length / 2, np.sin(angle) * length / 2
    cx, cy = rng.uniform(230, 410), 195 + abs(dy)
    pen = cv2.line(np.zeros_like(page), (int(cx - dx), int(cy - dy)), (int(cx + dx), int(cy + dy)), 1.0,
                   int(rng.integers(6, 20)))
    page *= 1 - rng.uniform(0.5, 0.8) * cv2.GaussianBlur(pen, (0, 0), 1.0)
    return _photographed(page, rng), text


def test_a_pen_lying_on_the_page_is_not_read_and_does_not_hide_the_number(classifier, mnist):
    rng = np.random.default_rng(0)
    pages = [_pen_on_the_page(mnist, rng) for _ in range(30)]
    right = _read_right(classifier, pages)
    # measured 21 of 30 (0 while the pen, taller than the digits, dwarfed them); a pen steeper
    # than 60 degrees is left, as a 1 written tall would be, and still hides the number
    assert right >= 17, right


@pytest.mark.parametrize("pen", [4, 6, 8])
def test_the_slash_of_a_percent_sign_is_not_taken_for_a_pen(classifier, pen):
    page = np.full((240, 320), 225, np.uint8)
    cv2.ellipse(page, (135, 85), (16, 22), 0, 0, 360, 30, pen)
    cv2.ellipse(page, (190, 160), (16, 22), 0, 0, 360, 30, pen)
    cv2.line(page, (120, 185), (205, 60), 30, pen + 1)  # longer than 1.5 heights of the rings, and slanted
    text = read_frame(cv2.GaussianBlur(page, (3, 3), 0), classifier).text
    assert "0" not in text, text  # read "0 0" while the slash was cut away as a pen


def _held_by_a_thumb(mnist, rng):
    """A row of 2-4 digits on a page held by a thumb that comes in from the bottom or a side."""
    page = np.full((480, 640, 3), (205, 215, 220), np.float32)
    text = _write_row(mnist, rng, page, (150, 180), 70, most=4)
    side = int(rng.integers(0, 3))  # bottom, left, right
    centre = [(rng.uniform(100, 540), 480), (0, rng.uniform(150, 400)), (640, rng.uniform(150, 400))][side]
    axes = (int(rng.uniform(45, 70)), int(rng.uniform(90, 140)))
    thumb = cv2.ellipse(np.zeros((480, 640), np.float32), tuple(int(v) for v in centre), axes,
                        rng.uniform(-30, 30) + 90 * (side > 0), 0, 360, 1.0, -1)
    thumb = cv2.GaussianBlur(thumb, (0, 0), 3)[..., None]
    page = page * (1 - thumb) + np.float32([120, 140, 190]) * rng.uniform(0.6, 1.0) * thumb  # skin, BGR
    return _photographed(page, rng), text


def test_a_thumb_holding_the_page_does_not_hide_the_number(classifier, mnist):
    rng = np.random.default_rng(0)
    pages = [_held_by_a_thumb(mnist, rng) for _ in range(30)]
    right = _read_right(classifier, pages)
    # measured 27 of 30 (24 while a mark the border cuts could set the scale, 12 while the thumb, cut
    # by the photo's edge and taller than the digits, made them look like specks); where the paper
    # estimate takes in half the thumb it breaks into a ring of pieces that is no blob
    assert right >= 23, right


def test_numbers_in_light_grainy_pencil_are_read(classifier, mnist):
    # A quarter darker than the paper, in patches: at the ink floor the strokes break into
    # specks, and only the darker digits of a number were found. The faint search completes
    # them. Measured 13 of 16 numbers (8 of 16 without the faint search).
    right = 0
    for ink in (140, 150):
        for seed in range(8):
            picks = range(5 * seed, 5 * seed + 5)
            page = synth.pencil_page(np.random.default_rng(seed), [mnist.test.x[i] for i in picks], ink=ink)
            right += read_frame(page, classifier).text == "".join(str(mnist.test.y[i]) for i in picks)
    assert right >= 12


@st.composite
def _drawings(draw):
    """A canvas of any sane size with a few strokes, rings and blocks of any ink: the marks that
    the reader merges, joins, splits and drops, in shapes no generator thought of."""
    h, w = draw(st.integers(8, 240)), draw(st.integers(8, 320))
    page = np.full((h, w), draw(st.integers(0, 255)), np.uint8)
    for _ in range(draw(st.integers(0, 8))):
        kind, ink, thick = draw(st.sampled_from("lre")), draw(st.integers(0, 255)), draw(st.integers(1, 12))
        x0, x1 = sorted(draw(st.integers(-10, w + 10)) for _ in range(2))
        y0, y1 = sorted(draw(st.integers(-10, h + 10)) for _ in range(2))
        if kind == "l":
            cv2.line(page, (x0, y0), (x1, y1), ink, thick, cv2.LINE_AA)
        elif kind == "r":
            cv2.rectangle(page, (x0, y0), (x1, y1), ink, -1 if thick > 9 else thick)
        else:
            centre, axes = ((x0 + x1) // 2, (y0 + y1) // 2), (max(1, (x1 - x0) // 2), max(1, (y1 - y0) // 2))
            cv2.ellipse(page, centre, axes, 0, 0, draw(st.integers(30, 360)), ink, thick, cv2.LINE_AA)
    return page


@settings(max_examples=150, deadline=None)
@given(_drawings())
def test_any_drawing_gives_a_valid_reading(classifier, page):
    # Robustness, not accuracy: whatever is drawn, the reading holds together.
    reading = read_frame(page, classifier)
    h, w = page.shape
    assert len(reading.text.replace(" ", "")) == len(reading.digits) == len(reading.crops)
    assert reading.crops.dtype == np.uint8 and reading.crops.shape[1:] == (28, 28)
    for d in reading.digits:
        x, y, bw, bh = d.box
        assert 0 <= d.digit <= 9 and 0.0 <= d.confidence <= 1.0
        assert 0 <= x and 0 <= y and bw >= 1 and bh >= 1 and x + bw <= w and y + bh <= h


def _drawn_one_or_seven(digit, rng, crossed=False, canvas=200):
    """A 1 with a flag (a third with a foot too) or a 7 (``crossed``: with a bar across its
    stem), drawn as a mouse draws them: the flag 30-50 degrees below level and 0.25-0.45 of the
    height, the 7's bar 0.4-0.6 of it, a 3-15 px brush."""
    h, top, x = canvas * 0.6, canvas * 0.2, canvas * 0.5
    lean = rng.uniform(-0.05, 0.2) * h  # the foot lies left of the top by this much
    if digit == 1:
        length, angle = rng.uniform(0.25, 0.45) * h, np.radians(rng.uniform(30, 50))
        strokes = [[(x - length * np.cos(angle), top + length * np.sin(angle)), (x, top), (x - lean, top + h)]]
        if rng.random() < 0.3:
            half = rng.uniform(0.15, 0.25) * h
            strokes.append([(x - lean - half, top + h), (x - lean + half, top + h)])
    else:
        bar = rng.uniform(0.4, 0.6) * h
        foot = x + bar / 2 - lean - rng.uniform(0, 0.3) * h
        strokes = [[(x - bar / 2, top), (x + bar / 2, top), (foot, top + h)]]
        if crossed:
            mid, half = top + rng.uniform(0.45, 0.55) * h, rng.uniform(0.15, 0.22) * h
            centre = (x + bar / 2 + foot) / 2
            strokes.append([(centre - half, mid), (centre + half, mid)])
    page = np.full((canvas, canvas), 255, np.uint8)
    brush = int(rng.integers(3, 16))
    for stroke in strokes:
        cv2.polylines(page, [np.int32(stroke)], False, 0, brush, cv2.LINE_AA)
    return page


def test_a_1_written_with_a_flag_reads_as_1_and_a_7_still_as_7(classifier):
    # Most of Europe flags its 1s, MNIST's writers hardly do, and the model read 41 of 100 such
    # 1s as 7s. A 7's bar is level and wide, a flag short and slanting.
    rng = np.random.default_rng(0)
    ones = [(_drawn_one_or_seven(1, rng), "1") for _ in range(100)]
    sevens = [(_drawn_one_or_seven(7, rng, crossed=k % 2 == 1), "7") for k in range(100)]
    right_ones, right_sevens = _read_right(classifier, ones), _read_right(classifier, sevens)
    assert right_ones >= 67, right_ones  # measured 73 of 100, 58 before
    assert right_sevens >= 99, right_sevens  # measured 100 of 100, as before
