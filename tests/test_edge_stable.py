"""The stable-reading vote: flicker does not leak out, changes and clears do."""

import pytest

from edge.stable import StableVote


def _emitted(texts, frames=5):
    vote = StableVote(frames)
    return [(i, out) for i, t in enumerate(texts) if (out := vote.update(t)) is not None]


def test_a_held_reading_is_emitted_once():
    assert _emitted(["42"] * 20) == [(4, "42")]


def test_single_frame_flicker_does_not_leak_out():
    texts = ["42"] * 6 + ["47"] + ["42"] * 6 + [""] + ["42"] * 6
    assert [t for _, t in _emitted(texts)] == ["42"]


def test_a_new_number_replaces_the_old_after_it_holds():
    texts = ["42"] * 8 + ["17"] * 8
    assert [t for _, t in _emitted(texts)] == ["42", "17"]


def test_taking_the_paper_away_clears_the_reading():
    texts = ["42"] * 8 + [""] * 8 + ["42"] * 8
    assert [t for _, t in _emitted(texts)] == ["42", "", "42"]


def test_unsure_readings_are_never_emitted():
    assert _emitted(["4?"] * 10) == []


def test_window_must_be_positive():
    with pytest.raises(ValueError):
        StableVote(0)
