"""Bad inputs to python -m convert: one line on stderr and exit code 2, before any conversion."""

import keras
import pytest

from convert.__main__ import main as convert_main


def _run(args, capsys):
    code = convert_main(args)
    err = capsys.readouterr().err
    return code, err


def test_missing_model_says_to_train_first(tmp_path, capsys):
    code, err = _run(["--model", str(tmp_path / "model.keras"), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and err == f"error: {tmp_path / 'model.keras'} not found; run make train first\n"


@pytest.fixture
def tiny_data(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    path = tmp_path / "tiny.npz"
    np.savez(path, x_train=rng.integers(0, 255, (20, 28, 28), dtype=np.uint8), y_train=np.arange(20) % 10,
             x_test=rng.integers(0, 255, (10, 28, 28), dtype=np.uint8), y_test=np.arange(10))
    return path


def test_not_a_keras_model_names_the_file(tmp_path, tiny_data, capsys):
    bogus = tmp_path / "notes.keras"
    bogus.write_text("not a model")
    code, err = _run(["--model", str(bogus), "--data", str(tiny_data), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and err.startswith(f"error: {bogus}: not a Keras model file (") and err.count("\n") == 1


def test_wrong_shaped_model_is_refused(tmp_path, tiny_data, capsys):
    inputs = keras.Input((28, 28))
    model = keras.Model(inputs, keras.layers.Dense(5)(keras.layers.Flatten()(inputs)))
    model.save(tmp_path / "five.keras")
    code, err = _run(["--model", str(tmp_path / "five.keras"), "--data", str(tiny_data),
                      "--out", str(tmp_path / "o")], capsys)
    assert code == 2
    assert err == (f"error: {tmp_path / 'five.keras'}: expected a 784 -> 10 classifier, "
                   "got input (None, 28, 28) -> output (None, 5)\n")
    assert not (tmp_path / "o" / "digits_int8.tflite").exists()
