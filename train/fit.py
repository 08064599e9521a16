"""Train a recipe on MNIST and save the model, its history, a report and the curves.

    python -m train --recipe notebook --data ../shared/data/mnist.npz
"""

import platform
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from edge.spec import CLASSES, SIDE, to_model_input
from train.augment import augment_batch
from train.camera import make_camera_bank
from train.data import Mnist, Split, validation_split
from train.files import atomic_path, write_json
from train.model import build_mlp
from train.outliers import make_outliers
from train.plots import plot_curves
from train.recipes import Recipe
from train.styles import make_style_bank

OUTLIER_BANK = 30_000  # non-digit images drawn once per run; augmentation varies them further
CAMERA_BANK = 50_000  # camera views of training digits, made once per run (~2 ms each)
STYLE_BANK = 20_000  # flagged 1s and crossed 7s, made once per run
BANK_REUSE = 4  # a short run makes a smaller bank: each image is still drawn about this many times


def make_dataset(split: Split, recipe: Recipe) -> tf.data.Dataset:
    """Endless shuffled batches of (784 floats in [0, 1], target distribution), augmented if asked.

    The dataset repeats forever (fit takes steps_per_epoch) so that the per-batch
    augmentation seed keeps counting across epochs instead of restarting. With
    ``recipe.outliers``, each batch also carries non-digits whose target is uniform.
    """
    ds = tf.data.Dataset.from_tensor_slices((split.x, tf.one_hot(split.y, CLASSES)))
    ds = ds.shuffle(len(split.x), seed=recipe.seed, reshuffle_each_iteration=True).repeat()
    ds = ds.batch(recipe.batch_size, drop_remainder=True)
    if recipe.camera:
        views, labels = make_camera_bank(_bank_size(CAMERA_BANK, recipe.camera, split, recipe), recipe.seed,
                                         split.x, split.y)
        ds = _mix_in(ds, views, tf.one_hot(labels, CLASSES), recipe.camera, recipe)
    if recipe.styles:
        views, labels = make_style_bank(_bank_size(STYLE_BANK, recipe.styles, split, recipe), recipe.seed,
                                        split.x, split.y)
        ds = _mix_in(ds, views, tf.one_hot(labels, CLASSES), recipe.styles, recipe)
    if recipe.outliers:
        bank = make_outliers(_bank_size(OUTLIER_BANK, recipe.outliers, split, recipe), recipe.seed, split.x)
        uniform = np.full((len(bank), CLASSES), 1.0 / CLASSES, np.float32)
        ds = _mix_in(ds, bank, uniform, recipe.outliers, recipe)
    ds = tf.data.Dataset.zip((ds, tf.data.Dataset.counter()))
    aug = recipe.augment

    def prepare(batch, step):
        images, targets = batch
        images = tf.cast(images, tf.float32) / 255.0  # Scale images to the [0, 1] range (edge.spec)
        if aug is not None:
            images = augment_batch(images, tf.stack([tf.cast(recipe.seed, tf.int64), step]), aug)
        return tf.reshape(images, (-1, SIDE * SIDE)), targets

    return ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def _bank_size(cap: int, share: float, split: Split, recipe: Recipe) -> int:
    """Bank images a run can use, up to ``cap``: the 150-epoch recipe gets the full bank, a
    2-epoch smoke test a small one (its images are drawn in the same order either way)."""
    draws = recipe.epochs * (len(split.x) // recipe.batch_size) * _per_batch(share, recipe)
    return int(min(cap, max(1000, draws // BANK_REUSE)))


def _per_batch(share: float, recipe: Recipe) -> int:
    """How many bank images ride along with each batch of ``recipe.batch_size`` digits."""
    return max(1, int(round(share * recipe.batch_size)))


def _mix_in(ds: tf.data.Dataset, images, targets, share: float, recipe: Recipe) -> tf.data.Dataset:
    """Append ``share`` * batch_size examples from a bank to every batch of ``ds``."""
    extra = _per_batch(share, recipe)
    bank = tf.data.Dataset.from_tensor_slices((images, targets))
    bank = bank.shuffle(len(images), seed=recipe.seed + extra).repeat().batch(extra)
    return tf.data.Dataset.zip((ds, bank)).map(lambda a, b: (tf.concat([a[0], b[0]], 0), tf.concat([a[1], b[1]], 0)))


def make_optimizer(recipe: Recipe, steps_per_epoch: int) -> keras.optimizers.Optimizer:
    if recipe.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=recipe.learning_rate)
    total = recipe.epochs * steps_per_epoch
    warmup = min(int(recipe.warmup_epochs * steps_per_epoch), total // 10)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0,
        decay_steps=max(total - warmup, 1),
        alpha=0.0,
        warmup_target=recipe.learning_rate,
        warmup_steps=warmup,
    )
    return keras.optimizers.AdamW(learning_rate=schedule, weight_decay=recipe.weight_decay)


def fit(recipe: Recipe, data: Mnist) -> tuple[keras.Model, dict, dict]:
    """Train ``recipe``; return the final model, its history and a report.

    The final weights are kept (as in the notebook): the cosine schedule ends at its
    best, and picking an epoch would be one more choice tuned on the validation set.
    """
    keras.utils.set_random_seed(recipe.seed)
    tf.config.experimental.enable_op_determinism()
    train, val = validation_split(data.train, recipe.validation) if recipe.validation else (data.train, None)
    steps = len(train.x) // recipe.batch_size
    model = build_mlp(dropout=recipe.dropout)
    model.compile(
        optimizer=make_optimizer(recipe, steps),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=recipe.label_smoothing),
        metrics=["accuracy"],
    )
    val_data = (to_model_input(val.x), keras.utils.to_categorical(val.y, CLASSES)) if val else None
    start = time.perf_counter()
    history = model.fit(
        make_dataset(train, recipe),
        epochs=recipe.epochs,
        steps_per_epoch=steps,
        validation_data=val_data,
        shuffle=False,  # make_dataset shuffles; Keras cannot shuffle a tf.data pipeline
        verbose=1 if sys.stdout.isatty() else 2,  # a progress bar in a terminal, a line per epoch in logs
    )
    seconds = time.perf_counter() - start
    test_pred = model.predict(to_model_input(data.test.x), batch_size=1024, verbose=0).argmax(1)
    report = {
        "recipe": recipe.name,
        "config": asdict(recipe),
        "seed": recipe.seed,
        "epochs": recipe.epochs,
        "parameters": model.count_params(),
        "val_accuracy": round(float(history.history["val_accuracy"][-1]), 6) if val else None,
        "test_accuracy": round(float(np.mean(test_pred == data.test.y)), 6),
        "train_seconds": round(seconds, 1),
        "data": {
            "source": data.source,
            "sha256": data.sha256,
            "train": len(train.x),
            "validation": len(val.x) if val else 0,
        },
        "versions": versions(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    return model, history.history, report


def save(model: keras.Model, history: dict, report: dict, out: Path) -> None:
    """Write model.keras, history.json, report.json and curves.png into ``out``, each atomically."""
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "model.keras") as tmp:
        model.save(tmp)
    write_json(out / "history.json", {k: [float(v) for v in vs] for k, vs in history.items()})
    write_json(out / "report.json", report)
    plot_curves(history, out / "curves.png", title=f"{report['recipe']} recipe, seed {report['seed']}")


def versions() -> dict:
    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
    }
