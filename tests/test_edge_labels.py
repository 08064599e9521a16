"""edge/labels.py: the fast labelling and picking agree with OpenCV's defaults and np.isin."""

import cv2
import numpy as np
import pytest

from edge.labels import FEW_LABELS, label, label_pixels, pixels_of, rim


def _ink(seed: int, box=None) -> np.ndarray:
    """Random specks over the whole (120, 160) frame, or only inside ``box`` (y0, y1, x0, x1)."""
    rng = np.random.default_rng(seed)
    mask = rng.random((120, 160)) > 0.6
    if box is not None:
        y0, y1, x0, x1 = box
        inside = np.zeros_like(mask)
        inside[y0:y1, x0:x1] = True
        mask &= inside
    return mask


def _same_pieces(labels: np.ndarray, ref_labels: np.ndarray, count: int) -> bool:
    """Every piece maps one-to-one, whatever the numbering."""
    return len(set(zip(labels.ravel().tolist(), ref_labels.ravel().tolist()))) == count


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("box", [None, (20, 70, 30, 110), (0, 120, 5, 9), (119, 120, 0, 160)])
def test_label_gives_opencvs_pieces_and_boxes(seed, box):
    # with ink in part of the frame only that part is labelled; the result must not show it
    mask = _ink(seed, box)
    count, labels, stats = label(mask)
    ref_count, ref_labels, ref_stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    assert count == ref_count and labels.shape == mask.shape
    assert _same_pieces(labels, ref_labels, count)
    assert sorted(map(tuple, stats[1:].tolist())) == sorted(map(tuple, ref_stats[1:].tolist()))
    assert stats[0, 4] == ref_stats[0, 4]  # the background's area


def test_an_empty_mask_has_only_background():
    count, labels, stats = label(np.zeros((30, 40), bool))
    assert count == 1 and not labels.any() and stats.tolist() == [[0, 0, 40, 30, 1200]]


@pytest.mark.parametrize("box", [None, (20, 70, 30, 110)])
def test_label_pixels_gives_the_same_pieces_as_label(box):
    mask = _ink(7, box)
    count, labels, _ = label(mask)
    assert _same_pieces(label_pixels(mask), labels, count)


@pytest.mark.parametrize("how_many", [0, 1, FEW_LABELS, FEW_LABELS + 1, 40])
def test_pixels_of_agrees_with_isin_on_both_paths(how_many):
    rng = np.random.default_rng(how_many)
    labels = rng.integers(0, 60, (90, 110)).astype(np.int32)
    wanted = rng.choice(np.arange(-3, 70), how_many, replace=False)  # some absent, some not labels at all
    expected = np.isin(labels, wanted[wanted > 0])
    assert np.array_equal(pixels_of(labels, wanted), expected)
    assert np.array_equal(pixels_of(labels, list(wanted)), expected)


def test_rim_holds_what_touches_the_border_and_nothing_inside():
    a = np.arange(20).reshape(4, 5)
    assert sorted(set(rim(a).tolist())) == [0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 16, 17, 18, 19]


def test_more_pieces_than_16_bits_hold_are_all_told_apart():
    # 90,000 lone pixels: labels are 16 bits only where they cannot run out
    mask = np.zeros((600, 600), bool)
    mask[::2, ::2] = True
    count, labels, stats = label(mask)
    assert count == 90_001
    assert int(labels.max()) == 90_000 and len(np.unique(labels[mask])) == 90_000
    assert (stats[1:, 4] == 1).all()
