"""The device runtime in venvs of its own: requirements-edge.txt alone, and an old Pi image's stack.

The legacy venv is what 32-bit Raspberry Pi OS offers: tflite-runtime 2.14 (no
ai-edge-litert there), numpy < 2 and OpenCV 4.x. Venvs are made once and cached in
artifacts/ (about 30 s each when PyPI is reachable).
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from edge.classifier import DigitClassifier

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "models" / "digits_int8.tflite"
LEGACY = ["tflite-runtime==2.14.0", "numpy<2", "opencv-python-headless<5"]


def _venv(requirements: list) -> Path:
    """A cached venv with exactly ``requirements`` installed; returns its python."""
    key = hashlib.sha256(" ".join(requirements).encode()).hexdigest()[:10]
    folder = ROOT / "artifacts" / "venvs" / key
    python = folder / "bin" / "python"
    if not (folder / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
                       check=True, timeout=900)
        (folder / ".installed").touch()
    return python


def _read_golden(python) -> dict:
    """source -> text for every golden image, read by ``python -m edge read`` under that interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([str(python), "-m", "edge", "read", "tests/golden", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return {r["source"]: r["text"] for r in map(json.loads, out.stdout.splitlines())}


@pytest.fixture(scope="module")
def here():
    return _read_golden(sys.executable)


def test_edge_runs_from_requirements_edge_txt_alone(here):
    python = _venv(["-r", str(ROOT / "requirements-edge.txt")])
    modules = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('tensorflow'))"],
                             capture_output=True, text=True)
    assert modules.stdout.strip() == "None"  # no TensorFlow in the device venv
    assert _read_golden(python) == here


def test_old_pi_stack_reads_the_golden_images_the_same(here):
    theirs = _read_golden(_venv(LEGACY))
    assert theirs.keys() == here.keys()
    differ = [k for k in here if here[k] != theirs[k]]
    assert len(differ) <= 1, differ  # OpenCV 4 and 5 resample a few pixels differently


def test_tflite_runtime_with_numpy_1_gives_the_same_predictions(mnist, tmp_path):
    digits = mnist.test.x[:500]
    np.save(tmp_path / "digits.npy", digits)
    script = (
        "import json, sys, numpy as np\n"
        "import edge.classifier as c\n"
        f"p = c.DigitClassifier({str(SHIPPED)!r}).predict(np.load({str(tmp_path / 'digits.npy')!r}))\n"
        "print(json.dumps({'numpy': np.__version__, 'interpreter': c.load_interpreter_class().__module__,"
        " 'pred': p.argmax(1).tolist(), 'p': p.tolist()}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([str(_venv(LEGACY)), "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["numpy"].startswith("1.") and result["interpreter"].startswith("tflite_runtime")
    here = DigitClassifier(SHIPPED).predict(digits)
    assert result["pred"] == here.argmax(1).tolist()
    np.testing.assert_allclose(result["p"], here, atol=4 / 256)  # kernels differ by a few int8 steps at most
