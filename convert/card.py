"""model_card.json: what was converted, from what, how it scores, and how the edge must feed it."""

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from edge.classifier import DigitClassifier, Quantization
from edge.spec import PIXEL_SCALE


def pixel_convention(quant: Quantization) -> str:
    """The input formula in words, read from the model's own parameters."""
    if not quant.is_quantized:
        return "float32 = uint8 pixel / 255 (white ink on black, flattened 28x28)"
    ratio = PIXEL_SCALE / quant.scale
    if abs(ratio - 1.0) < 1e-6:
        return f"{quant.dtype.__name__} = uint8 pixel {quant.zero_point:+d} (white ink on black, flattened 28x28)"
    return (
        f"{quant.dtype.__name__} = clip(round(uint8 pixel * {ratio:.6g}) {quant.zero_point:+d}) "
        f"(white ink on black, flattened 28x28)"
    )


def tensor_card(quant: Quantization) -> dict:
    return {"dtype": quant.dtype.__name__, "scale": quant.scale, "zero_point": quant.zero_point}


def source_report(model_path: Path) -> dict:
    """The training report saved beside the model, if any (recipe, seed, accuracy)."""
    report = model_path.parent / "report.json"
    try:
        return json.loads(report.read_text())
    except (OSError, ValueError):
        return {}


def sha256_file(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_card(model_path: Path, int8: DigitClassifier, files: dict, parity, extra: dict) -> dict:
    """Everything a reader of the shipped model needs, in one JSON object."""
    trained = source_report(model_path)
    return {
        "model": "digits_int8.tflite",
        "source_model": {"path": str(model_path), "sha256": sha256_file(model_path)},
        "recipe": trained.get("recipe", "unknown"),
        "training": {k: trained[k] for k in ("seed", "epochs", "test_accuracy", "train_seconds") if k in trained},
        "input": {
            "shape": [1, 784],
            **tensor_card(int8.input_quant),
            "pixel_convention": pixel_convention(int8.input_quant),
        },
        "output": {"shape": [1, 10], **tensor_card(int8.output_quant), "meaning": "softmax probabilities of 0-9"},
        "sizes_bytes": {name: Path(path).stat().st_size for name, path in files.items()},
        "test": parity.as_dict(),
        **extra,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
