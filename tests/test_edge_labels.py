"""edge/labels.py: the fast labelling and picking agree with OpenCV's defaults and np.isin."""

import cv2
import numpy as np
import pytest

from edge.labels import FEW_LABELS, label, pixels_of


@pytest.mark.parametrize("seed", range(5))
def test_label_gives_opencvs_pieces_and_boxes(seed):
    mask = np.random.default_rng(seed).random((120, 160)) > 0.6
    count, labels, stats = label(mask)
    ref_count, ref_labels, ref_stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    assert count == ref_count
    # the same pieces, whatever their numbering: every piece maps one-to-one
    pairs = set(zip(labels.ravel().tolist(), ref_labels.ravel().tolist()))
    assert len(pairs) == count
    assert sorted(map(tuple, stats.tolist())) == sorted(map(tuple, ref_stats.tolist()))


@pytest.mark.parametrize("how_many", [0, 1, FEW_LABELS, FEW_LABELS + 1, 40])
def test_pixels_of_agrees_with_isin_on_both_paths(how_many):
    rng = np.random.default_rng(how_many)
    labels = rng.integers(0, 60, (90, 110)).astype(np.int32)
    wanted = rng.choice(np.arange(-3, 70), how_many, replace=False)  # some absent, some not labels at all
    expected = np.isin(labels, wanted[wanted > 0])
    assert np.array_equal(pixels_of(labels, wanted), expected)
    assert np.array_equal(pixels_of(labels, list(wanted)), expected)
