"""Keras -> TFLite: full-integer int8 post-training quantization, and the float twin.

    python -m convert --model artifacts/train/best/model.keras

``TFLITE_BUILTINS_INT8`` alone means the converter fails loudly instead of falling
back to a float op; the checks below catch the traps that do not fail loudly.
"""

import contextlib
import io
import warnings

import numpy as np
import tensorflow as tf

from edge.classifier import load_interpreter_class
from edge.spec import FEATURES, to_model_input

MIN_INT8_BYTES = 400_000  # the 575k-weight MLP is ~600 KB; a ~5 KB file has lost its weights
INTEGER_DTYPES = (np.int8, np.int32)  # int8 weights and activations, int32 biases


class ConversionError(Exception):
    """The converter produced something that must not ship."""


def to_tflite(model, calibration_pixels: np.ndarray | None = None) -> bytes:
    """Convert ``model``; int8 in, int8 out when calibration pixels (N, 28, 28) uint8 are given, else float32."""
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if calibration_pixels is not None:
        samples = to_model_input(calibration_pixels)

        def representative_dataset():
            for i in range(len(samples)):
                yield [samples[i : i + 1]]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative_dataset
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the converter's chatter: signature, input statistics
        return converter.convert()


def check_int8_model(content: bytes) -> None:
    """Refuse a model that is too small, has a non-integer tensor, the wrong input or NaN outputs."""
    if len(content) < MIN_INT8_BYTES:
        raise ConversionError(
            f"int8 model is only {len(content):,} bytes (expected > {MIN_INT8_BYTES:,}): the weights were lost"
        )
    interpreter = load_interpreter_class()(model_content=content)
    interpreter.allocate_tensors()
    floats = [d["name"] for d in interpreter.get_tensor_details() if np.dtype(d["dtype"]).type not in INTEGER_DTYPES]
    if floats:
        raise ConversionError(f"int8 model has non-integer tensors on its path: {', '.join(floats[:5])}")
    check_runs(interpreter, "int8")


def check_runs(interpreter, label: str) -> None:
    """The edge feeds (1, 784); a mid-grey input must give 10 finite outputs."""
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    if inp["shape"].tolist() != [1, FEATURES]:
        raise ConversionError(f"{label} model input shape is {inp['shape'].tolist()}, the edge feeds [1, {FEATURES}]")
    interpreter.set_tensor(inp["index"], np.zeros(inp["shape"], inp["dtype"]))
    interpreter.invoke()
    result = interpreter.get_tensor(out["index"]).astype(np.float64)
    if result.shape != (1, 10) or not np.all(np.isfinite(result)):
        raise ConversionError(f"{label} model output is not 10 finite values: {result}")
