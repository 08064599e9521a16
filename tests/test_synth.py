"""The synthetic image generator: deterministic, well-formed samples whose labels match their content."""

import csv
import os

import cv2
import numpy as np
import pytest

from tests import synth


@pytest.fixture(scope="module")
def digits(mnist):
    return mnist.test.x, mnist.test.y


@pytest.fixture(scope="module")
def samples(digits):
    return synth.make_set(3, 20, *digits)


def test_same_seed_same_images(digits, samples):
    again = synth.make_set(3, 20, *digits)
    assert [(s.text, s.boxes, s.kind) for s in again] == [(s.text, s.boxes, s.kind) for s in samples]
    assert all(np.array_equal(a.image, b.image) for a, b in zip(again, samples))
    assert not np.array_equal(synth.make_set(4, 1, *digits)[0].image, samples[0].image)


def test_a_set_is_a_mix_of_kinds(samples):
    kinds = [s.kind for s in samples]
    assert (kinds.count("photo"), kinds.count("scan"), kinds.count("paint")) == (12, 3, 5)


def test_images_are_uint8_grey_or_bgr(samples):
    for s in samples + synth.make_non_digits(3, 5):
        assert s.image.dtype == np.uint8
        assert s.image.ndim == 2 or (s.image.ndim == 3 and s.image.shape[2] == 3)


def test_one_box_per_digit_inside_the_image_left_to_right(samples):
    for s in samples:
        assert s.text.isdigit() and len(s.boxes) == len(s.text)
        h, w = s.image.shape[:2]
        for x, y, bw, bh in s.boxes:
            assert 0 <= x and 0 <= y and bw > 0 and bh > 0 and x + bw <= w and y + bh <= h
        centres = [x + bw / 2 for x, _, bw, _ in s.boxes]
        assert centres == sorted(centres), s.kind


def test_boxes_hold_ink(samples):
    """A box must cover the digit: its inside differs clearly from the median (the background)."""
    for s in samples:
        grey = _grey(s.image)
        for x, y, bw, bh in s.boxes:
            assert np.abs(grey[y:y + bh, x:x + bw] - np.median(grey)).max() > 40, s.kind


def test_photo_digit_count_can_be_chosen(digits):
    rng = np.random.default_rng(0)
    assert [len(synth.photo_sample(rng, *digits, n_digits=n).text) for n in (1, 4, 10)] == [1, 4, 10]


def test_non_digits_have_no_text_and_cycle_through_the_kinds():
    made = synth.make_non_digits(5, 10)
    assert [s.kind for s in made] == list(synth.NON_DIGIT_KINDS) * 2
    assert all(s.text == "" and s.boxes == [] for s in made)


def test_cli_writes_pngs_and_labels(digits, tmp_path):
    synth.main(["--out", str(tmp_path), "--count", "3", "--non-digits", "2", "--max-width", "320",
                "--data", os.environ["MNIST_NPZ"]])
    rows = list(csv.DictReader(open(tmp_path / "labels.csv")))
    assert [r["file"] for r in rows] == ["photo_000.png", "paint_000.png", "photo_001.png",
                                         "nodigit_000.png", "nodigit_001.png"]
    assert all((tmp_path / r["file"]).stat().st_size > 0 for r in rows)
    assert [r["text"] == "" for r in rows] == [False, False, False, True, True]


def test_typed_numbers_fit_the_frame_in_every_font():
    for i, font in enumerate(synth.FONTS):
        s = synth.typed_sample(np.random.default_rng([0, i]), font)
        assert s.kind == font and 1 <= len(s.text) <= 10 and s.text.isdigit() and len(s.boxes) == len(s.text)
        assert s.image.dtype == np.uint8 and s.image.ndim in (2, 3)
        H, W = s.image.shape[:2]
        xs = [x for x, *_ in s.boxes]
        assert xs == sorted(xs)  # left to right
        for x, y, w, h in s.boxes:
            assert 0 < x and x + w < W and 0 < y and y + h < H  # a margin all round, as on a page


def test_numbers_on_squared_paper_are_labelled_and_boxed(digits):
    made = [synth.grid_sample(np.random.default_rng([1, i]), *digits) for i in range(6)]
    test_one_box_per_digit_inside_the_image_left_to_right(made)
    test_boxes_hold_ink(made)


def test_form_fields_hold_a_number_and_a_printed_label_apart_from_it(digits):
    made = [synth.form_sample(np.random.default_rng([1, i]), *digits) for i in range(8)]
    test_one_box_per_digit_inside_the_image_left_to_right(made)
    test_boxes_hold_ink(made)
    for s in made:
        grey = _grey(s.image)
        printed = grey < np.median(grey) - 60
        for x, y, w, h in s.boxes:
            printed[max(0, y - 4) : y + h + 4, max(0, x - 4) : x + w + 4] = False  # the digits and their blur
        assert s.kind in ("beside", "above", "field") and printed.sum() > 100  # the label's letters


def test_shaken_and_turned_photos_keep_their_number(digits):
    photos = [synth.photo_sample(np.random.default_rng([3, i]), *digits, n_digits=5) for i in range(4)]
    for i, photo in enumerate(photos):
        shaken = synth.shaken(np.random.default_rng(i), photo, 8)
        turned = synth.turned_away(np.random.default_rng(i), photo, 0.3)
        for s in (shaken, turned):
            assert s.text == photo.text and s.image.shape == photo.image.shape
        sharpness = [cv2.Laplacian(_grey(s.image).astype(np.float32), cv2.CV_32F).var() for s in (photo, shaken)]
        assert sharpness[1] < 0.8 * sharpness[0], sharpness  # the strokes' edges smeared
        assert turned.boxes != photo.boxes  # the digits moved with the page
    test_boxes_hold_ink([synth.turned_away(np.random.default_rng(i), p, 0.3) for i, p in enumerate(photos)])


def test_notebook_pages_hold_a_number_on_ruled_lines(digits):
    samples = [synth.notebook_sample(np.random.default_rng([4, i]), *digits) for i in range(4)]
    for s in samples:
        assert s.text.isdigit() and len(s.boxes) == len(s.text) and s.image.shape[:2] == (480, 640)
        profile = _grey(s.image)[60:420, 200:440].mean(axis=1)  # the middle of the page, row by row
        dips = profile - np.convolve(profile, np.ones(15) / 15, mode="same")
        top, bottom = min(y for _, y, _, h in s.boxes) - 60, max(y + h for _, y, _, h in s.boxes) - 60
        lines = [r for r in np.flatnonzero(dips < -2.0) if 7 <= r < len(dips) - 7 and not top <= r <= bottom]
        assert len(lines) >= 3, (s.text, lines)  # printed lines across the page, above and below the number
    test_boxes_hold_ink(samples)


def test_pages_of_words_hold_ink_and_no_digits():
    for i in range(5):
        page = synth.words_sample(np.random.default_rng([2, i]))
        grey = _grey(page.image)
        assert page.text == "" and page.boxes == [] and page.kind == "words"
        assert (grey < np.median(grey) - 40).sum() > 100  # printed letters, darker than the page


def _grey(image):
    return image if image.ndim == 2 else image.mean(axis=2)
