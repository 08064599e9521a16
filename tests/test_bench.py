"""make bench QUICK=1: every figure is there, with units and plausible values (no timing assertions)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench(notebook_run, mnist_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    run = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out), "--data", mnist_file,
                          "--keras", str(notebook_run[0] / "model.keras")], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    return out, json.loads((out / "bench.json").read_text())


def test_bench_json_has_every_figure(bench):
    _, b = bench
    for key in ("sizes_bytes", "accuracy", "latency_us", "frame_ms", "fps", "startup", "ratios", "versions",
                "machine", "date"):
        assert key in b, key
    for engine in ("litert_int8_1t", "litert_int8_2t", "litert_float32_1t", "keras_call", "keras_predict"):
        assert 0 < b["latency_us"][engine]["median"] <= b["latency_us"][engine]["p99"], engine
    for stage in ("grey", "threshold", "candidates", "normalise", "classify", "total", "reading"):
        assert b["frame_ms"][stage]["median"] >= 0, stage
    for whole in ("total", "reading"):  # the stages' total, and read_frame itself: both classify too
        assert b["frame_ms"][whole]["median"] >= b["frame_ms"]["classify"]["median"], whole
    # Each frame's best of its passes, then the median: never above the median of every time.
    assert b["frame_passes"] == 2
    for stage, ms in b["frame_ms"].items():
        assert ms["every_pass"] >= ms["median"], stage


def test_bench_figures_are_plausible(bench):
    _, b = bench
    assert 500_000 < b["sizes_bytes"]["int8"] < 700_000 < b["sizes_bytes"]["float32"]
    assert b["accuracy"]["int8"] >= 0.992  # the shipped model, measured on the full test set
    assert b["latency_us"]["keras_call"]["median"] > b["latency_us"]["litert_int8_1t"]["median"]
    st = b["startup"]
    assert st["edge_text"] == st["tf_text"] == "29"  # both processes read tests/golden/photo_001.png
    assert 10 < st["edge_rss_mb"] < st["tf_rss_mb"] and 0 < st["edge_s"] < st["tf_s"]
    assert b["ratios"]["float32_vs_int8_size"] > 3.5 and b["fps"]["frames"] > 0


def test_bench_writes_a_readable_report_and_chart(bench):
    out, _ = bench
    report = (out / "report.md").read_text()
    assert "| int8 TFLite |" in report and "Per-digit latency" in report and "Start-up" in report
    assert "Frame to reading" in report
    assert (out / "latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
