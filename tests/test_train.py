"""The model, the augmentation and both recipes end to end."""

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import tensorflow as tf

from edge.spec import to_model_input
from train.__main__ import main as train_main
from train.augment import AugmentConfig, augment_batch
from train.model import PARAMETERS, build_mlp

SHIPPED = Path(__file__).resolve().parent.parent / "models" / "digits_int8.tflite"


def test_mlp_has_the_notebook_layers_and_575050_parameters():
    model = build_mlp(dropout=0.1)
    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    assert [layer.units for layer in dense] == [512, 256, 128, 64, 10]
    assert model.input_shape == (None, 784)
    assert model.count_params() == PARAMETERS == 575_050


def test_dropout_adds_no_parameters():
    assert build_mlp(dropout=0.0).count_params() == build_mlp(dropout=0.3).count_params()


def _augmented(images_uint8, seed=(0, 1), cfg=AugmentConfig()):
    x = tf.constant(images_uint8.astype(np.float32) / 255.0)
    return augment_batch(x, tf.constant(seed, tf.int64), cfg).numpy()


def test_augmentation_stays_in_unit_range_and_changes_images(mnist):
    x = mnist.test.x[:256]
    out = _augmented(x)
    assert out.shape == x.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.mean(np.abs(out - x / 255.0)) > 0.02  # really distorted, not a copy


def test_augmentation_is_reproducible_from_its_seed(mnist):
    x = mnist.test.x[:32]
    np.testing.assert_array_equal(_augmented(x, (3, 4)), _augmented(x, (3, 4)))
    assert not np.array_equal(_augmented(x, (3, 4)), _augmented(x, (3, 5)))


def test_augmented_digits_keep_their_labels(notebook_run, mnist):
    """A model that never saw distortions still reads most distorted digits (71% measured):
    the label still fits. A bug that mixed images and labels would give ~10%."""
    import keras

    folder, _ = notebook_run
    model = keras.models.load_model(folder / "model.keras")
    x, y = mnist.test.x[:2000], mnist.test.y[:2000]
    out = np.round(_augmented(x) * 255).astype(np.uint8)
    clean = np.mean(model.predict(to_model_input(x), verbose=0).argmax(1) == y)
    distorted = np.mean(model.predict(to_model_input(out), verbose=0).argmax(1) == y)
    assert distorted > 0.6, (clean, distorted)
    assert distorted < clean  # and the distortion is not a no-op


@pytest.mark.slow
def test_notebook_recipe_reaches_975_percent_and_writes_its_outputs(notebook_run):
    folder, report = notebook_run
    assert report["test_accuracy"] >= 0.975
    assert report["parameters"] == 575_050
    saved = json.loads((folder / "report.json").read_text())
    assert saved["test_accuracy"] == report["test_accuracy"] and len(saved["data"]["sha256"]) == 64
    history = json.loads((folder / "history.json").read_text())
    assert len(history["loss"]) == 5 and history["loss"][-1] < history["loss"][0]
    png = (folder / "curves.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert not list(folder.glob(".*partial*"))  # nothing half-written left behind


@pytest.mark.slow
def test_short_best_run_trains_through_the_augmentation(mnist_file, tmp_path):
    assert train_main(["--recipe", "best", "--epochs", "2", "--data", mnist_file, "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "report.json").read_text())
    history = json.loads((tmp_path / "history.json").read_text())
    assert report["config"]["augment"] is not None and report["epochs"] == 2
    assert history["val_accuracy"][1] > history["val_accuracy"][0] > 0.9  # far above chance, improving
    assert report["test_accuracy"] > 0.95


def test_camera_views_are_degraded_but_keep_their_digit(mnist):
    from edge.classifier import DigitClassifier
    from edge.normalise import normalise
    from train.camera import camera_view

    rng = np.random.default_rng(0)
    x, y = mnist.test.x[:300], mnist.test.y[:300]  # test digits: unseen by the model
    pairs = [(camera_view(d, rng), normalise(d / 255.0), label) for d, label in zip(x, y)]
    views, clean, labels = (np.stack(v) for v in zip(*[p for p in pairs if p[0] is not None]))
    assert len(views) >= 280 and views.shape[1:] == (28, 28) and views.dtype == np.uint8
    m = [cv2.moments(v.astype(np.float32)) for v in views]
    assert np.median([abs(mo["m10"] / mo["m00"] - 13.5) for mo in m]) < 1.0  # centred like MNIST
    differ = np.abs(views.astype(np.float32) - clean).mean(axis=(1, 2))
    assert np.median(differ) > 5  # (~10 measured) blurred, noisy, re-thresholded: not the clean crop again
    read = DigitClassifier(SHIPPED).predict(views).argmax(1)
    assert np.mean(read == labels) >= 0.95  # ~99% measured: still legible digits, not noise


def test_style_bank_gives_ones_a_flag_and_sevens_a_bar(mnist):
    from edge.normalise import normalise
    from train.styles import crossed_seven, flagged_one, make_style_bank

    rng = np.random.default_rng(0)
    ones, sevens = (mnist.test.x[mnist.test.y == d][:100] for d in (1, 7))
    plain = [normalise(d / 255.0) for d in ones]
    flagged = [flagged_one(d, rng) for d in ones]
    # the flag reaches left of the 1's top: ink where a plain 1 has paper
    widths = [np.ptp(np.flatnonzero((f > 64).any(axis=0))) - np.ptp(np.flatnonzero((p > 64).any(axis=0)))
              for f, p in zip(flagged, plain)]
    assert np.median(widths) >= 3
    plain7 = np.stack([normalise(d / 255.0) for d in sevens]).astype(np.float32)
    crossed = np.stack([crossed_seven(d, rng) for d in sevens]).astype(np.float32)
    middle = slice(11, 17)  # the bar crosses the stem near the middle of the 20-px digit
    assert (crossed[:, middle] > 64).sum() > 1.3 * (plain7[:, middle] > 64).sum()
    views, labels = make_style_bank(200, 0, mnist.test.x, mnist.test.y)
    assert set(labels.tolist()) == {1, 7} and 0.6 < np.mean(labels == 1) < 0.9
    assert views.shape == (200, 28, 28) and views.dtype == np.uint8 and (views.max(axis=(1, 2)) > 200).all()


def test_european_recipe_adds_flagged_ones_and_crossed_sevens_to_each_batch(mnist):
    from train.data import Split
    from train.fit import make_dataset
    from train.recipes import RECIPES

    split = Split(mnist.test.x[:512], mnist.test.y[:512])
    sizes = {}
    for name in ("best", "european"):
        images, targets = next(iter(make_dataset(split, RECIPES[name].with_overrides(epochs=1))))
        sizes[name] = len(images)
        labels = targets.numpy().argmax(1)
    assert sizes == {"best": 128 + 32 + 24, "european": 128 + 32 + 4 + 24}  # digits, camera, styles, outliers
    assert set(labels[160:164].tolist()) <= {1, 7}  # the style rows come after the camera views


def test_camera_bank_is_reproducible_from_its_seed(mnist):
    from train.camera import make_camera_bank

    a, la = make_camera_bank(20, 3, mnist.test.x, mnist.test.y)
    b, lb = make_camera_bank(20, 3, mnist.test.x, mnist.test.y)
    c, _ = make_camera_bank(20, 4, mnist.test.x, mnist.test.y)
    assert np.array_equal(a, b) and np.array_equal(la, lb) and not np.array_equal(a, c)


def test_train_help_lists_the_recipes_without_starting_tensorflow():
    """--help is read before a run is started: TensorFlow takes seconds to load and prints its
    C++ start-up lines after the help."""
    import subprocess
    import sys

    probe = (
        "import runpy, sys\n"
        "sys.argv = ['train', '--help']\n"
        "try:\n    runpy.run_module('train', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120)
    assert "--recipe {best,european,notebook}" in out.stdout, out.stderr
    assert "LOADED []" in out.stdout
