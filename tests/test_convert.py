"""Conversion: int8 tensors only, parameters read from the model, and a parity gate that really fails."""

import json

import keras
import numpy as np
import pytest

from convert.__main__ import main as convert_main
from convert.quantize import ConversionError, check_int8_model, to_tflite
from edge.classifier import DigitClassifier, load_interpreter_class

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def converted(notebook_run, mnist_file, tmp_path_factory):
    """The notebook model converted and installed once: (out folder, install folder, exit code)."""
    folder, _ = notebook_run
    out, installed = tmp_path_factory.mktemp("convert"), tmp_path_factory.mktemp("models")
    code = convert_main(
        ["--model", str(folder / "model.keras"), "--data", mnist_file, "--out", str(out),
         "--install", "--install-dir", str(installed)]
    )
    return out, installed, code


def test_notebook_model_passes_the_gate_and_is_installed(converted):
    out, installed, code = converted
    assert code == 0
    for name in ("digits_int8.tflite", "digits_float32.tflite", "model_card.json"):
        assert (installed / name).read_bytes() == (out / name).read_bytes()


def test_int8_model_has_only_integer_tensors(converted):
    interpreter = load_interpreter_class()(model_path=str(converted[0] / "digits_int8.tflite"))
    dtypes = {np.dtype(d["dtype"]).name for d in interpreter.get_tensor_details()}
    assert dtypes <= {"int8", "int32"}, dtypes


def test_int8_quantization_maps_pixels_to_pixel_minus_128(converted):
    card = json.loads((converted[0] / "model_card.json").read_text())
    clf = DigitClassifier(converted[0] / "digits_int8.tflite")
    assert clf.input_quant.dtype is np.int8 and clf.output_quant.dtype is np.int8
    assert clf.input_quant.scale == pytest.approx(1 / 255) and clf.input_quant.zero_point == -128
    assert card["input"]["pixel_convention"].startswith("int8 = uint8 pixel -128")
    assert card["input"]["scale"] == clf.input_quant.scale


def test_sizes_are_those_of_the_575k_weight_mlp(converted):
    card = json.loads((converted[0] / "model_card.json").read_text())
    sizes = card["sizes_bytes"]
    assert 500_000 < sizes["int8"] < 700_000  # one byte per weight plus int32 biases
    assert 3.5 < sizes["float32"] / sizes["int8"] < 4.1
    assert card["parameters"] == 575_050


def test_int8_accuracy_matches_keras_on_the_full_test_set(converted, mnist):
    card = json.loads((converted[0] / "model_card.json").read_text())
    test = card["test"]
    assert test["images"] == 10_000 and card["gate"]["passed"]
    assert test["delta_pp"] <= 0.1 and test["agreement"] >= 0.997
    measured = DigitClassifier(converted[0] / "digits_int8.tflite").predict_many(mnist.test.x).argmax(1)
    assert np.mean(measured == mnist.test.y) == test["int8_accuracy"]


def _outlier_model(path_in, path_out):
    """The same function as the input model, plus one hidden unit with a huge activation that
    nothing reads: the float model is unchanged, but int8 loses every other activation."""
    model = keras.models.load_model(path_in)
    w0, b0 = model.get_layer("dense_0").get_weights()
    b0[0], w0[:, 0] = 5000.0, 0.0
    model.get_layer("dense_0").set_weights([w0, b0])
    w1, b1 = model.get_layer("dense_1").get_weights()
    w1[0, :] = 0.0
    model.get_layer("dense_1").set_weights([w1, b1])
    model.save(path_out)


def test_gate_fails_when_int8_breaks_and_leaves_models_untouched(notebook_run, mnist_file, tmp_path, capsys):
    broken = tmp_path / "broken.keras"
    _outlier_model(notebook_run[0] / "model.keras", broken)
    shipped = tmp_path / "models"
    shipped.mkdir()
    (shipped / "digits_int8.tflite").write_bytes(b"previous model")
    code = convert_main(["--model", str(broken), "--data", mnist_file, "--out", str(tmp_path / "out"),
                         "--install", "--install-dir", str(shipped)])
    assert code == 1
    assert "parity gate FAILED" in capsys.readouterr().err
    assert [p.name for p in shipped.iterdir()] == ["digits_int8.tflite"]
    assert (shipped / "digits_int8.tflite").read_bytes() == b"previous model"
    card = json.loads((tmp_path / "out" / "model_card.json").read_text())
    assert card["gate"]["passed"] is False and card["test"]["agreement"] < 0.997


def test_float_model_labelled_int8_is_refused(notebook_run):
    model = keras.models.load_model(notebook_run[0] / "model.keras")
    with pytest.raises(ConversionError, match="non-integer tensors"):
        check_int8_model(to_tflite(model))


def test_weightless_model_is_refused():
    with pytest.raises(ConversionError, match="weights were lost"):
        check_int8_model(b"\x00" * 5000)
