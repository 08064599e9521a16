"""The shipped default model in models/: its accuracy through the edge classifier, and its card's honesty."""

import json
from pathlib import Path

import numpy as np
import pytest

from edge.classifier import DigitClassifier

MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture(scope="module")
def card():
    return json.loads((MODELS / "model_card.json").read_text())


@pytest.fixture(scope="module")
def int8_predictions(mnist):
    return DigitClassifier(MODELS / "digits_int8.tflite").predict_many(mnist.test.x).argmax(1)


def test_shipped_int8_model_reads_992_percent_of_mnist_test(int8_predictions, mnist):
    assert np.mean(int8_predictions == mnist.test.y) >= 0.992


def test_model_card_accuracy_is_what_the_edge_classifier_measures(card, int8_predictions, mnist):
    assert card["test"]["images"] == len(mnist.test.y) == 10_000
    assert card["test"]["int8_accuracy"] == pytest.approx(np.mean(int8_predictions == mnist.test.y), abs=1e-9)
    per_class = [np.mean(int8_predictions[mnist.test.y == d] == d) for d in range(10)]
    np.testing.assert_allclose(card["test"]["per_class_int8"], per_class, atol=1e-6)


def test_model_card_describes_the_shipped_files(card):
    assert card["sizes_bytes"]["int8"] == (MODELS / "digits_int8.tflite").stat().st_size
    assert card["sizes_bytes"]["float32"] == (MODELS / "digits_float32.tflite").stat().st_size
    assert card["recipe"] == "best" and card["parameters"] == 575_050 and card["gate"]["passed"]
    clf = DigitClassifier(MODELS / "digits_int8.tflite")
    assert (card["input"]["scale"], card["input"]["zero_point"]) == (clf.input_quant.scale, clf.input_quant.zero_point)
    assert (card["output"]["scale"], card["output"]["zero_point"]) == (
        clf.output_quant.scale, clf.output_quant.zero_point)

