"""The device classifier: quantization at both ends, batching, bad model files, and no TensorFlow."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from edge.classifier import (
    DigitClassifier,
    ModelError,
    Quantization,
    output_to_probabilities,
    pixels_to_input,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "models" / "digits_int8.tflite"


def test_int8_input_is_pixel_minus_128_for_the_usual_parameters():
    pixels = np.arange(256, dtype=np.uint8)[:196].reshape(1, 14, 14).repeat(4, 1).reshape(1, 28, 28)
    q = pixels_to_input(pixels, Quantization(np.int8, 1 / 255, -128))
    assert q.dtype == np.int8
    np.testing.assert_array_equal(q.astype(int), pixels.reshape(1, 784).astype(int) - 128)


def test_input_quantization_rounds_and_clips_for_other_parameters():
    pixels = np.array([0, 1, 128, 255], np.uint8).repeat(196).reshape(1, 28, 28)
    q = pixels_to_input(pixels, Quantization(np.int8, 1 / 510, 0))  # 255 -> 510 -> clipped to 127
    assert sorted(set(q.ravel().tolist())) == [0, 2, 127]


def test_output_dequantization_uses_the_model_parameters():
    raw = np.array([[-128, 127, 0]], np.int8)
    probs = output_to_probabilities(raw, Quantization(np.int8, 1 / 256, -128))
    np.testing.assert_allclose(probs, [[0.0, 255 / 256, 0.5]])


def test_batched_and_single_predictions_are_identical(mnist):
    clf = DigitClassifier(SHIPPED)
    digits = mnist.test.x[:37]
    batched = clf.predict(digits)
    single = np.concatenate([clf.predict(d[None]) for d in digits])
    np.testing.assert_array_equal(batched, single)
    assert batched.shape == (37, 10) and np.allclose(batched.sum(1), 1.0, atol=0.03)


def test_empty_batch_gives_empty_result():
    assert DigitClassifier(SHIPPED).predict(np.zeros((0, 28, 28), np.uint8)).shape == (0, 10)


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(ModelError, match=r"nope\.tflite: model not found"):
        DigitClassifier(tmp_path / "nope.tflite")


def test_empty_model_file_is_refused(tmp_path):
    (tmp_path / "empty.tflite").write_bytes(b"")
    with pytest.raises(ModelError, match=r"empty\.tflite: model file is empty"):
        DigitClassifier(tmp_path / "empty.tflite")


def test_corrupt_model_file_is_refused(tmp_path):
    (tmp_path / "bad.tflite").write_bytes(SHIPPED.read_bytes()[:5000])
    with pytest.raises(ModelError, match=r"bad\.tflite: not a valid TFLite model"):
        DigitClassifier(tmp_path / "bad.tflite")


def test_wrong_shape_model_is_refused(tmp_path):
    import keras

    from convert.quantize import to_tflite

    inputs = keras.Input((100,))
    (tmp_path / "m.tflite").write_bytes(to_tflite(keras.Model(inputs, keras.layers.Dense(3)(inputs))))
    expected = r"expected a 784 -> 10 digit classifier, got input \[1, 100\] -> output \[1, 3\]"
    with pytest.raises(ModelError, match=expected):
        DigitClassifier(tmp_path / "m.tflite")


def test_edge_reader_never_loads_tensorflow(tmp_path):
    import cv2

    cv2.imwrite(str(tmp_path / "blank.png"), np.full((60, 80), 255, np.uint8))
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['edge', 'read', {str(tmp_path / 'blank.png')!r}, '--json']\n"
        "try:\n    runpy.run_module('edge', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('tensorflow', 'keras', 'tf_keras') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert '"text": ""' in out.stdout, out.stderr
    assert "LOADED []" in out.stdout
