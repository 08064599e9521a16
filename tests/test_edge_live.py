"""python -m edge run: stable readings from videos, reconnects, SIGTERM, the overlay, the Pi bundle."""

import json
import os
import signal
import subprocess
import sys
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pytest

import edge.live as live
from edge.__main__ import main as edge_main
from edge.classifier import DigitClassifier
from edge.live import RunOptions, run
from edge.overlay import draw_kiosk, draw_live
from edge.reader import Digit, ReaderOptions, Reading
from edge.sources import open_source

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "samples" / "demo.mp4"
DEMO_READINGS = ["42", "", "1907", "", "365", ""]  # what tests/make_demo.py writes, blank pages between


@pytest.fixture(scope="module")
def classifier():
    return DigitClassifier(ROOT / "models" / "digits_int8.tflite")


def _json_lines(text):
    return [json.loads(line) for line in text.splitlines()]


def test_demo_video_gives_its_numbers_in_order_and_nothing_else(capsys):
    assert edge_main(["run", "--source", str(DEMO), "--json"]) == 0
    lines = _json_lines(capsys.readouterr().out)
    assert [r["text"] for r in lines[:-1]] == DEMO_READINGS
    assert lines[-1]["summary"]["readings"] == DEMO_READINGS and lines[-1]["summary"]["frames"] == 207


def test_json_lines_follow_the_contract(capsys):
    edge_main(["run", "--source", str(DEMO), "--json"])
    first = _json_lines(capsys.readouterr().out)[0]
    assert set(first) == {"t", "frame", "text", "digits", "confidence", "fps"}
    assert first["text"] == "42" and [d["digit"] for d in first["digits"]] == [4, 2]
    assert 0.4 <= first["confidence"] <= 1 and first["fps"] > 0 and first["frame"] >= 5


@pytest.mark.slow
def test_a_generated_video_reads_as_written(mnist, tmp_path, capsys):
    from tests.make_demo import make_video

    shown = make_video(tmp_path / "v.mp4", mnist.test.x, mnist.test.y, seed=5)
    assert edge_main(["run", "--source", str(tmp_path / "v.mp4"), "--json"]) == 0
    readings = _json_lines(capsys.readouterr().out)[-1]["summary"]["readings"]
    assert [r for r in readings if r] == shown


class FlakyCamera:
    """Frames from a list; goes dark after ``fail_after`` frames; ``reopen`` works ``recoveries`` times."""

    live = True
    fps = 15.0

    def __init__(self, frames, fail_after, recoveries):
        self.frames, self.fail_after, self.recoveries = frames, fail_after, recoveries
        self.served, self.dark, self.reopened, self.released = 0, False, 0, False

    def read(self):
        if self.dark or self.served >= len(self.frames):
            return None
        if self.served == self.fail_after:
            self.dark = True
            return None
        self.served += 1
        return self.frames[self.served - 1]

    def reopen(self):
        self.reopened += 1
        if self.recoveries > 0:
            self.recoveries -= 1
            self.dark, self.fail_after = False, -1
            return True
        return False

    def release(self):
        self.released = True


def _demo_frames(count):
    source, frames = open_source(str(DEMO)), []
    while len(frames) < count and (frame := source.read()) is not None:
        frames.append(frame)
    source.release()
    return frames


def test_camera_that_drops_out_is_reconnected(classifier, monkeypatch, capsys):
    monkeypatch.setattr(live, "RETRY_FIRST_S", 0.0)
    camera = FlakyCamera(_demo_frames(60), fail_after=25, recoveries=1)
    code = run(camera, classifier, ReaderOptions(), RunOptions(json=True, retry_max=3))
    out, err = capsys.readouterr()
    assert camera.served == 60 and camera.released  # the drop-out at frame 25 was recovered from
    # after the list's last frame the camera stays dark: 1 successful + 3 failed reopens, then exit 1
    assert camera.reopened == 4 and "reconnecting (1/3)" in err
    assert code == 1 and _json_lines(out)[0]["text"] == "42"


def test_camera_that_never_comes_back_ends_with_exit_1(classifier, monkeypatch, capsys):
    monkeypatch.setattr(live, "RETRY_FIRST_S", 0.0)
    camera = FlakyCamera(_demo_frames(10), fail_after=3, recoveries=0)
    code = run(camera, classifier, ReaderOptions(), RunOptions(retry_max=2))
    err = capsys.readouterr().err
    assert code == 1 and camera.reopened == 2 and camera.released
    assert "error: the source stopped delivering frames after 2 reconnect attempts" in err


def test_truncated_video_ends_cleanly(tmp_path, capsys):
    data = DEMO.read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    code = edge_main(["run", "--source", str(tmp_path / "cut.mp4"), "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 2)  # a clean end with a summary, or a one-line "cannot open"
    assert (code == 0 and '"summary"' in out) or (code == 2 and err.startswith("error: cannot open"))


def test_missing_camera_and_unknown_source_are_usage_errors(capsys):
    assert edge_main(["run", "--source", "97"]) == 2
    assert edge_main(["run", "--source", "no/such/thing.mp4"]) == 2
    assert "unknown source 'no/such/thing.mp4'" in capsys.readouterr().err


def test_show_without_a_gui_says_so(capsys, monkeypatch):
    monkeypatch.setattr(live, "has_gui", lambda: False)
    assert edge_main(["run", "--source", str(DEMO), "--show"]) == 2
    err = capsys.readouterr().err
    assert "no GUI" in err and "--record" in err


@pytest.mark.slow
def test_sigterm_during_record_leaves_a_playable_video(tmp_path):
    long_video = tmp_path / "long.mp4"
    writer = cv2.VideoWriter(str(long_video), cv2.VideoWriter_fourcc(*"mp4v"), 15, (480, 360))
    for frame in _demo_frames(207) * 4:
        writer.write(frame)
    writer.release()
    out = tmp_path / "rec.mp4"
    proc = subprocess.Popen([sys.executable, "-m", "edge", "run", "--source", str(long_video), "--json",
                             "--record", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    first = proc.stdout.readline()  # the first stable reading, 23 frames in: stopped there, whatever the speed
    assert '"text"' in first and proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and '"summary"' in stdout.splitlines()[-1]
    cap = cv2.VideoCapture(str(out))
    frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    ok, frame = cap.read()
    assert ok and frame.shape == (360, 480, 3) and 10 < frames < 4 * 207


def test_overlay_draws_boxes_banner_and_leaves_the_input_alone():
    frame = np.full((240, 320, 3), 200, np.uint8)
    reading = Reading("4", [Digit(4, 0.9, (100, 80, 40, 60), True)], np.zeros((1, 28, 28), np.uint8))
    out = draw_live(frame, reading, "4", 30.0)
    assert (frame == 200).all() and out.shape == frame.shape
    assert (out[80, 100:140, 1] > out[80, 100:140, 2] + 60).all()  # the green box's top edge
    banner = out[:40, :60]
    assert (banner == 0).mean() > 0.5 and (banner == 255).any()  # the stable reading, white on black


def test_kiosk_screen_shows_the_reading_or_a_hint():
    assert draw_kiosk((240, 320), "42").max() == 255
    hint = draw_kiosk((240, 320), "")
    assert 0 < hint.max() < 255 and hint.shape == (240, 320, 3)


@pytest.mark.slow
def test_pi_bundle_runs_from_its_own_venv_without_tensorflow(tmp_path):
    subprocess.run(["make", "pi-bundle"], cwd=ROOT, check=True, capture_output=True)
    with tarfile.open(ROOT / "dist" / "mnist-edge-pi.tar.gz") as tar:
        names = tar.getnames()
        tar.extractall(tmp_path, filter="data")
    assert "mnist-edge-pi/install.sh" in names and "mnist-edge-pi/mnist-edge.service" in names
    bundle = tmp_path / "mnist-edge-pi"
    from tests.test_edge_venvs import _venv

    python = _venv(["-r", str(bundle / "requirements-edge.txt")])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(python), "-m", "edge", "run", "--source", "samples/demo.mp4", "--json"], cwd=bundle,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert _json_lines(out.stdout)[-1]["summary"]["readings"] == DEMO_READINGS
