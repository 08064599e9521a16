"""Start-up and memory of a fresh process: the edge runtime against TensorFlow/Keras, each reading one image.

Each probe runs in its own interpreter; the parent measures the wall time from spawn to the
first reading printed, the child reports its own peak RSS (VmHWM: unlike ru_maxrss it does
not carry over the parent's memory from before exec).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEAK = """
def peak_kb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
"""

EDGE_PROBE = PEAK + """
import sys
from edge.classifier import DigitClassifier
from edge.images import load_image
from edge.reader import read_frame
reading = read_frame(load_image(sys.argv[1]), DigitClassifier(sys.argv[2]))
print(reading.text, peak_kb(), flush=True)
"""

TF_PROBE = PEAK + """
import os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from edge.images import load_image
from edge.ink import ink_map, to_grey
from edge.marks import find_marks
from edge.normalise import normalise
from edge.spec import to_model_input
model = keras.models.load_model(sys.argv[2], compile=False)
marks = find_marks(*ink_map(to_grey(load_image(sys.argv[1]))))
import numpy as np
crops = np.stack([normalise(m.ink) for m in sorted(marks, key=lambda m: m.box[0])])
text = "".join(str(d) for d in model(to_model_input(crops)).numpy().argmax(1))
print(text, peak_kb(), flush=True)
"""


def probe(code: str, image: Path, model: Path, repeats: int) -> dict:
    """Median wall time to first reading and peak RSS over ``repeats`` fresh processes."""
    walls, rss, text = [], [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, str(image), str(model)], cwd=ROOT, capture_output=True,
                             text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
        walls.append(time.perf_counter() - start)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-1000:])
        text, kb = out.stdout.split()[-2:]
        rss.append(int(kb) / 1024)
    walls.sort()
    return {"seconds": round(walls[len(walls) // 2], 3), "rss_mb": round(max(rss), 1), "text": text}


def measure_startup(image: Path, int8: Path, keras_model: Path, repeats: int) -> dict:
    edge = probe(EDGE_PROBE, image, int8, repeats)
    tf = probe(TF_PROBE, image, keras_model, repeats) if keras_model.exists() else None
    result = {"edge_s": edge["seconds"], "edge_rss_mb": edge["rss_mb"], "edge_text": edge["text"], "unit": "s, MB"}
    if tf:
        result.update({"tf_s": tf["seconds"], "tf_rss_mb": tf["rss_mb"], "tf_text": tf["text"]})
    return result


if __name__ == "__main__":
    print(json.dumps(measure_startup(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), 1)))
