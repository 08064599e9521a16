"""Per-digit latency of every engine on this machine: Keras, float32 and int8 TFLite, each interpreter package."""

import importlib.util

import numpy as np

from bench.timing import time_calls
from edge.classifier import DigitClassifier
from edge.spec import to_model_input


def tflite_latencies(models: dict, digit: np.ndarray, calls: int) -> dict:
    """{engine name: {median, p99}} through the edge classifier (LiteRT), batch 1."""
    out = {}
    for name, path in models.items():
        for threads in (1, 2) if name == "int8" else (1,):
            clf = DigitClassifier(path, num_threads=threads)
            out[f"litert_{name}_{threads}t"] = time_calls(lambda c=clf: c.predict(digit), calls)
    return out


def tflite_runtime_latency(path, digit: np.ndarray, calls: int) -> dict:
    """The older tflite-runtime package, when it is installed next to LiteRT."""
    if importlib.util.find_spec("tflite_runtime") is None:
        return {}
    from tflite_runtime.interpreter import Interpreter

    it = Interpreter(model_path=str(path), num_threads=1)
    it.allocate_tensors()
    inp, out = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
    q = (digit.reshape(1, 784).astype(np.int16) - 128).astype(np.int8)

    def call():
        it.set_tensor(inp, q)
        it.invoke()
        return it.get_tensor(out)

    return {"tflite_runtime_int8_1t": time_calls(call, calls)}


def keras_latencies(model, digit: np.ndarray, calls: int, predict_calls: int) -> dict:
    x = to_model_input(digit)
    return {
        "keras_call": time_calls(lambda: model(x, training=False), calls),
        "keras_predict": time_calls(lambda: model.predict(x, verbose=0), predict_calls, warmup=5),
    }


def batched_throughput(path, digits: np.ndarray, repeats: int) -> dict:
    """Digits per second for the int8 model fed ``len(digits)`` at a time."""
    clf = DigitClassifier(path)
    timing = time_calls(lambda: clf.predict(digits), repeats, warmup=3)
    return {"batch": len(digits), "digits_per_s": round(len(digits) / (timing["median"] / 1e6)),
            "batch_median_us": timing["median"]}
