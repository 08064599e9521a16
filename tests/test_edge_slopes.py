"""edge/clutter.py's fast paths agree with the plain computations they stand for: the smoothed
slope taken at a few pixels (a shadow's fade) and the float32 form of a darkness limit."""

import cv2
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from edge.clutter import SLOPE_SMOOTH, _float32_bound, _slope_at, edge_slope


def _smoothed_slope(darkness: np.ndarray) -> np.ndarray:
    """The slope of the whole frame after a Gaussian of SLOPE_SMOOTH px: right away from the border."""
    k = 2 * int(np.ceil(3 * SLOPE_SMOOTH)) + 1
    return edge_slope(cv2.GaussianBlur(darkness, (k, k), SLOPE_SMOOTH, borderType=cv2.BORDER_CONSTANT))


def test_the_slope_at_a_few_pixels_is_the_smoothed_frames_slope_there():
    darkness = np.random.default_rng(0).random((60, 80)).astype(np.float32)
    ys, xs = np.array([4, 10, 30, 55, 20]), np.array([4, 70, 40, 75, 11])  # 4 px from the border and more
    assert np.allclose(_slope_at(darkness, ys, xs), _smoothed_slope(darkness)[ys, xs], atol=1e-5)


def test_pixels_at_the_border_take_the_nearest_pixels_slope():
    darkness = np.random.default_rng(1).random((60, 80)).astype(np.float32)
    near = _slope_at(darkness, np.array([0, 59, 2]), np.array([0, 79, 40]))
    assert np.array_equal(near, _slope_at(darkness, np.array([4, 55, 4]), np.array([4, 75, 40])))


def test_a_view_into_a_larger_frame_gives_the_slopes_of_a_copy():
    frame = np.random.default_rng(2).random((100, 120)).astype(np.float32)
    box = frame[20:70, 30:90]  # on_the_table passes the box of the table's component
    ys, xs = np.array([0, 10, 49, 25]), np.array([0, 30, 59, 5])
    assert np.array_equal(_slope_at(box, ys, xs), _slope_at(box.copy(), ys, xs))


def test_a_frame_smaller_than_the_kernel_is_read_as_if_its_edges_went_on():
    darkness = np.random.default_rng(3).random((6, 30)).astype(np.float32)
    ys, xs = np.array([0, 5, 3]), np.array([0, 29, 15])
    padded = np.pad(darkness, 10, mode="edge")
    assert np.array_equal(_slope_at(darkness, ys, xs), _slope_at(padded, ys + 10, xs + 10))


@given(st.floats(min_value=-2, max_value=2), st.lists(st.floats(min_value=-2, max_value=2, width=32), min_size=1))
def test_float32_values_are_below_the_bound_exactly_when_below_the_limit(limit, values):
    nearest = np.float32(limit)  # and the float32 values either side of it, where rounding decides
    values = np.array(values + [nearest, np.nextafter(nearest, np.float32(-3)), np.nextafter(nearest, np.float32(3))],
                      np.float32)
    assert np.array_equal(values < _float32_bound(limit), values.astype(np.float64) < limit)


def test_the_bound_holds_at_the_limits_the_shadow_test_uses():
    for limit in (0.6, 0.1, 1 / 3, np.inf):
        bound = _float32_bound(limit)
        assert bound.dtype == np.float32 and float(bound) >= limit
        assert float(np.nextafter(bound, np.float32(-np.inf))) < limit
