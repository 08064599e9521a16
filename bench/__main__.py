"""One run that measures size, accuracy, speed, start-up and memory side by side: ``make bench``.

    python -m bench                # ~3 min: artifacts/bench/bench.json, report.md, latency.png
    python -m bench --quick        # ~30 s, fewer calls (the tests use it)
"""

import argparse
import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from edge.cli import HelpFormatter  # noqa: E402  (after the TF log level)

ROOT = Path(__file__).resolve().parent.parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats (about 30 s)")
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="folder with the TFLite models")
    parser.add_argument("--keras", type=Path, default=ROOT / "artifacts/train/best/model.keras",
                        help="Keras model for the TensorFlow figures (trained by make train)")
    parser.add_argument("--data", default=None, help="MNIST .npz; default $MNIST_NPZ, else the model card's figures")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts/bench", help="output folder")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    import cv2

    from bench import engines, frames, startup
    from bench.report import markdown, plot_latency
    from edge.classifier import DigitClassifier
    from edge.memory import keep_frame_memory
    from train.files import atomic_path, write_json

    cv2.setNumThreads(1)  # a Pi-like single-core figure for the frame pipeline
    keep_frame_memory()  # as python -m edge does
    n = {"calls": 500 if args.quick else 5000, "keras": 100 if args.quick else 1000,
         "predict": 20 if args.quick else 200, "repeats": 2 if args.quick else 5}
    int8, float32 = args.models / "digits_int8.tflite", args.models / "digits_float32.tflite"
    card = json.loads((args.models / "model_card.json").read_text())
    data = _mnist(args.data)
    digit = data.test.x[:1] if data else _demo_digit()
    print("[1/5] per-digit latency (TFLite)", flush=True)
    latency = engines.tflite_latencies({"int8": int8, "float32": float32}, digit, n["calls"])
    latency |= engines.tflite_runtime_latency(int8, digit, n["calls"])
    throughput = engines.batched_throughput(int8, data.test.x[:1000] if data else digit.repeat(1000, 0),
                                            20 if args.quick else 100)
    print("[2/5] frame pipeline", flush=True)
    clf = DigitClassifier(int8)
    demo = frames.stage_times(frames.demo_frames(ROOT / "samples/demo.mp4")[:: 4 if args.quick else 1], clf)
    gen = frames.stage_times(frames.generated_frames(data.test.x, data.test.y, 20 if args.quick else 100), clf,
                             n["repeats"]) if data else None
    keras_path = args.keras if args.keras.exists() else _untrained_mlp(args.out, args.keras)
    print("[3/5] start-up and memory (fresh processes)", flush=True)
    image = ROOT / "tests/golden/photo_001.png"
    start = startup.measure_startup(image, int8, keras_path, 1 if args.quick else 3)
    print("[4/5] Keras", flush=True)
    import keras

    model = keras.models.load_model(keras_path, compile=False)
    latency |= engines.keras_latencies(model, digit, n["keras"], n["predict"])
    accuracy = _accuracy(card, data, int8, float32)
    keras_size = args.keras.stat().st_size if args.keras.exists() else card["sizes_bytes"].get("keras", 0)
    print("[5/5] writing the report", flush=True)
    frame_ms = (gen or demo)["ms"]
    bench = {
        "quick": args.quick,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu": _cpu(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "opencv_threads": 1, "tflite_threads": "1 unless the engine name says 2t"},
        "versions": _versions(),
        "parameters": card.get("parameters"),
        "sizes_bytes": {"keras": keras_size, "float32": float32.stat().st_size, "int8": int8.stat().st_size},
        "accuracy": accuracy,
        "latency_us": latency,
        "throughput": throughput,
        "frame_ms": frame_ms,
        "frame_passes": (gen or demo)["passes"],
        "fps": {"frames": (gen or demo)["fps"], "demo": demo["fps"], "generated": gen["fps"] if gen else None},
        "startup": start,
    }
    bench["ratios"] = _ratios(bench)
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / "bench.json", bench)
    plot_latency(latency, args.out / "latency.png")
    with atomic_path(args.out / "report.md") as tmp:
        tmp.write_text(markdown(bench))
    _print_summary(bench, args.out)
    return 0


def _untrained_mlp(out: Path, missing: Path) -> Path:
    """The same MLP with fresh weights: the same work per digit, so Keras and TensorFlow are still
    timed on a clone where ``make train`` has not run (its readings are meaningless)."""
    from train.model import build_mlp

    print(f"note: {missing} not found (make train): timing Keras on an untrained copy of the MLP", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "mlp_untrained.keras"
    build_mlp().save(path)
    return path


def _mnist(path):
    from train.data import DatasetError, load_mnist

    if not (path or os.environ.get("MNIST_NPZ")):
        return None
    try:
        return load_mnist(path)
    except DatasetError as err:
        print(f"note: {err}; using the model card's accuracy", file=sys.stderr)
        return None


def _demo_digit():
    import numpy as np

    from edge.images import load_image
    from edge.ink import ink_map, to_grey
    from edge.marks import find_marks
    from edge.normalise import normalise

    marks = find_marks(*ink_map(to_grey(load_image(ROOT / "tests/golden/paint_005.png"))))
    return np.stack([normalise(marks[0].ink)])


def _accuracy(card, data, int8, float32) -> dict:
    from edge.classifier import DigitClassifier

    acc = {"keras": card["test"]["keras_accuracy"], "agreement": card["test"]["agreement"], "source": "model card"}
    if data is None:
        return acc | {"int8": card["test"]["int8_accuracy"], "float32": card["test"]["float32_accuracy"]}
    for name, path in (("int8", int8), ("float32", float32)):
        acc[name] = float((DigitClassifier(path).predict_many(data.test.x).argmax(1) == data.test.y).mean())
    return acc | {"source": "measured (TFLite) + model card (Keras)"}


def _ratios(b: dict) -> dict:
    lat, st, size = b["latency_us"], b["startup"], b["sizes_bytes"]
    int8 = lat["litert_int8_1t"]["median"]
    ratios = {"int8_vs_float32_tflite_latency": round(lat["litert_float32_1t"]["median"] / int8, 2),
              "float32_vs_int8_size": round(size["float32"] / size["int8"], 2)}
    if "keras_call" in lat:
        ratios["keras_call_vs_int8_latency"] = round(lat["keras_call"]["median"] / int8, 1)
        ratios["keras_predict_vs_int8_latency"] = round(lat["keras_predict"]["median"] / int8, 1)
    if "tf_s" in st:
        ratios["tf_vs_edge_startup"] = round(st["tf_s"] / st["edge_s"], 1)
        ratios["tf_vs_edge_rss"] = round(st["tf_rss_mb"] / st["edge_rss_mb"], 1)
    return ratios


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("numpy", "opencv-python-headless", "ai-edge-litert", "tflite-runtime", "tensorflow-cpu", "keras"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def _print_summary(b: dict, out: Path) -> None:
    lat, st = b["latency_us"], b["startup"]
    keras_call = lat.get("keras_call", {}).get("median", 0)
    print(f"\nint8 per digit: {lat['litert_int8_1t']['median']:.1f} us median (float32 "
          f"{lat['litert_float32_1t']['median']:.1f} us, Keras model(x) {keras_call:,.0f} us)")
    ms = b["frame_ms"]
    print(f"frame 640x480 to reading: {ms['reading']['median']:.2f} ms median of each frame's best of "
          f"{b['frame_passes']} passes ({ms['reading']['every_pass']:.2f} ms over every pass; "
          f"{b['fps']['frames']:.0f} fps, one thread; its main stages at full size {ms['total']['median']:.2f} ms)")
    print(f"start-up: edge {st['edge_s']:.2f} s / {st['edge_rss_mb']:.0f} MB, "
          f"TensorFlow {st.get('tf_s', 0):.2f} s / {st.get('tf_rss_mb', 0):.0f} MB")
    print(f"ratios: {b['ratios']}")
    print(f"wrote {out / 'bench.json'}, {out / 'report.md'}, {out / 'latency.png'}")


if __name__ == "__main__":
    sys.exit(main())
