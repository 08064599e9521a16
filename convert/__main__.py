"""Quantize a trained Keras MLP to int8 TFLite and gate it on accuracy parity.

    python -m convert --model artifacts/train/best/model.keras --install

Writes digits_int8.tflite, digits_float32.tflite, model_card.json and parity.png to
--out; exits 1 if the int8 model does not read the test set as the Keras model does.
"""

import argparse
import os
import sys
from pathlib import Path

from convert.parity import MIN_AGREEMENT, TOLERANCE_PP
from edge.cli import HelpFormatter
from train.data import ENV_VAR, DatasetError, load_mnist

DEFAULT_MODEL = Path("artifacts/train/best/model.keras")
SHIPPED = ("digits_int8.tflite", "digits_float32.tflite", "model_card.json")

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m convert",
        description="Convert a 784 -> 10 Keras digit classifier to a full-integer int8 TFLite model "
        "and check, on the whole MNIST test set, that it reads digits as the Keras model does.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="trained Keras model (.keras)")
    parser.add_argument(
        "--data", default=None, help=f"MNIST .npz or IDX folder; default: ${ENV_VAR}, else the Keras download"
    )
    parser.add_argument("--out", type=Path, default=Path("artifacts/convert"), help="output folder")
    parser.add_argument(
        "--calibration", type=int, default=1000, help="training images used to calibrate int8 ranges"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing the calibration images")
    parser.add_argument(
        "--tolerance", type=float, default=TOLERANCE_PP, help="max |int8 - Keras| test accuracy, percentage points"
    )
    parser.add_argument(
        "--min-agreement", type=float, default=MIN_AGREEMENT, help="min fraction of test digits where int8 == Keras"
    )
    parser.add_argument(
        "--install", action="store_true", help="copy the gated model and its card into --install-dir"
    )
    parser.add_argument(
        "--install-dir", type=Path, default=Path("models"), help="where --install puts the shipped model"
    )
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if not 0 < args.calibration <= 60000 or not 0 < args.min_agreement <= 1 or args.tolerance < 0:
        print("error: --calibration must be 1-60000, --min-agreement in (0, 1], --tolerance >= 0", file=sys.stderr)
        return 2
    from convert.pipeline import (  # TensorFlow loads once the arguments are good
        InputError,
        load_keras_model,
        run,
    )

    try:
        model = load_keras_model(args.model)
        result = run(args, model, load_mnist(args.data))
    except (DatasetError, InputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if result.failures:
        print("parity gate FAILED: " + "; ".join(result.failures), file=sys.stderr)
        print(f"nothing installed; see {args.out / 'parity.png'}", file=sys.stderr)
        return 1
    if args.install:
        install(args.out, args.install_dir)
        print(f"installed {', '.join(SHIPPED)} into {args.install_dir}/")
    return 0


def install(src: Path, dest: Path) -> None:
    """Copy the shipped files next to their final names, then rename each into place."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    staged = []
    for name in SHIPPED:
        tmp = dest / f".{name}.partial"
        shutil.copyfile(src / name, tmp)
        staged.append((tmp, dest / name))
    for tmp, final in staged:
        tmp.replace(final)


if __name__ == "__main__":
    sys.exit(main())
