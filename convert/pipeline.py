"""The conversion run: load and check the Keras model, convert twice, measure parity, write the card.

    python -m convert --model artifacts/train/notebook/model.keras --out artifacts/convert-notebook
"""

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convert.card import build_card
from convert.parity import ParityReport, measure_parity
from convert.plots import plot_parity
from convert.quantize import ConversionError, check_int8_model, check_runs, to_tflite
from edge.classifier import DigitClassifier, load_interpreter_class
from edge.spec import to_model_input
from train.data import Mnist
from train.files import atomic_path, write_json
from train.fit import versions


class InputError(Exception):
    """The model given to convert is missing or is not a 784 -> 10 Keras classifier."""


@dataclass
class Result:
    parity: ParityReport
    failures: list  # gate failures as sentences; empty when the model may ship


def load_keras_model(path: Path):
    if not path.is_file():
        hint = "; run make train first" if path.name == "model.keras" else ""
        raise InputError(f"{path} not found{hint}")
    import keras

    try:
        model = keras.models.load_model(path, compile=False)
    except Exception as err:  # Keras raises many types for a bad file; all mean the same to the user
        raise InputError(f"{path}: not a Keras model file ({type(err).__name__})") from None
    shapes = (tuple(model.input_shape), tuple(model.output_shape))
    if shapes != ((None, 784), (None, 10)):
        raise InputError(f"{path}: expected a 784 -> 10 classifier, got input {shapes[0]} -> output {shapes[1]}")
    return model


def run(args, model, data: Mnist) -> Result:
    args.out.mkdir(parents=True, exist_ok=True)
    paths = {"int8": args.out / "digits_int8.tflite", "float32": args.out / "digits_float32.tflite"}
    rng = np.random.default_rng(args.seed)
    calibration = data.train.x[rng.choice(len(data.train.x), args.calibration, replace=False)]
    print(f"[1/4] converting {args.model} to float32 and to int8 (calibrating on {len(calibration)} training images)")
    _write(paths["float32"], to_tflite(model), "float32")
    _write(paths["int8"], to_tflite(model, calibration), "int8")
    print(f"[2/4] evaluating Keras, float32 and int8 on the {len(data.test.x):,} test images")
    int8, float32 = DigitClassifier(paths["int8"]), DigitClassifier(paths["float32"])
    x, y = data.test.x, data.test.y
    probs = {
        "keras": model.predict(to_model_input(x), batch_size=1000, verbose=0),
        "float32": float32.predict_many(x),
        "int8": int8.predict_many(x),
    }
    parity = measure_parity(y, probs["keras"], probs["float32"], probs["int8"])
    failures = parity.failures(args.tolerance, args.min_agreement)
    print("[3/4] plotting parity.png")
    plot_parity(
        args.out / "parity.png", x, y, probs["keras"].argmax(1), probs["int8"].argmax(1),
        title=f"{args.model}: int8 {parity.int8_accuracy:.2%} vs Keras {parity.keras_accuracy:.2%}, "
        f"agreement {parity.agreement:.2%}",
    )
    latency = {name: invoke_latency_us(c, x[:1]) for name, c in (("float32", float32), ("int8", int8))}
    print("[4/4] writing model_card.json")
    extra = {
        "calibration": {"images": len(calibration), "seed": args.seed, "split": "train"},
        "data": {"source": data.source, "sha256": data.sha256},
        "parameters": int(model.count_params()),
        "invoke_latency_us": latency,
        "gate": {"tolerance_pp": args.tolerance, "min_agreement": args.min_agreement,
                 "passed": not failures, "failures": failures},
        "versions": versions(),
    }
    files = {**paths, "keras": args.model}
    write_json(args.out / "model_card.json", build_card(args.model, int8, files, parity, extra))
    print_summary(files, parity, latency)
    return Result(parity, failures)


def _write(path: Path, content: bytes, label: str) -> None:
    """Check the converted bytes, then write them atomically."""
    try:
        if label == "int8":
            check_int8_model(content)
        else:
            interpreter = load_interpreter_class()(model_content=content)
            interpreter.allocate_tensors()
            check_runs(interpreter, label)
    except ConversionError as err:
        raise SystemExit(f"conversion failed: {err}") from None
    with atomic_path(path) as tmp:
        tmp.write_bytes(content)


def invoke_latency_us(classifier: DigitClassifier, digit: np.ndarray, calls: int = 300) -> float:
    """Median wall time of one batch-1 invoke, microseconds (a rough figure; `make bench` measures properly)."""
    classifier.predict(digit)
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        classifier.predict(digit)
        times.append(time.perf_counter() - start)
    return round(float(np.median(times)) * 1e6, 1)


def print_summary(files: dict, parity: ParityReport, latency: dict) -> None:
    rows = [
        ("keras", files["keras"], parity.keras_accuracy, "", ""),
        ("float32", files["float32"], parity.float32_accuracy, "", f"{latency['float32']:.0f}"),
        ("int8", files["int8"], parity.int8_accuracy, f"{parity.agreement:.2%}", f"{latency['int8']:.0f}"),
    ]
    print(f"\n{'model':<8} {'size':>10} {'test acc':>9} {'agrees':>8} {'us/invoke':>10}")
    for name, path, acc, agree, us in rows:
        print(f"{name:<8} {Path(path).stat().st_size / 1024:>7.0f} KB {acc:>9.2%} {agree:>8} {us:>10}")
    print(f"int8 vs Keras: {parity.delta_pp:.2f} pp apart, {parity.disagreements} of {parity.images} digits differ\n")
