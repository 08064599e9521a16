"""The camera loop: frames -> readings -> a stable reading, with JSON lines, a window, a recording.

    python -m edge run --source 0 --show
    python -m edge run --source samples/demo.mp4 --json --record artifacts/demo/annotated.mp4

Nothing is built per frame: the classifier, the vote and the writer live for the whole run.
Ctrl-C and SIGTERM end the run cleanly: the camera is released, the recording finalised,
the summary printed.
"""

import json
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

from edge.overlay import draw_kiosk, draw_live
from edge.reader import ReaderOptions, read_frame
from edge.stable import STABLE_FRAMES, StableVote

RETRY_MAX = 5  # reconnect attempts before giving up on a camera
RETRY_FIRST_S = 0.5  # the first wait; each next one doubles
WINDOW = "mnist-edge"


@dataclass(frozen=True)
class RunOptions:
    stable_frames: int = STABLE_FRAMES  # frames in the vote for a stable reading
    retry_max: int = RETRY_MAX  # reconnect attempts when a camera stops delivering frames
    json: bool = False  # JSON lines on stdout (logs go to stderr)
    show: bool = False  # a window with boxes, readings and fps
    kiosk: bool = False  # a full-screen window with only the stable reading
    record: Path | None = None  # write the annotated frames to this .mp4 / .avi
    snapshot: Path | None = None  # save the annotated frame of the last stable reading here


class Stop:
    """Turns SIGTERM into a clean end of the loop, like Ctrl-C."""

    def __init__(self):
        self.requested = False
        try:
            signal.signal(signal.SIGTERM, self._request)
        except ValueError:  # not the main thread (tests): Ctrl-C still works
            pass

    def _request(self, *_):
        self.requested = True


def run(source, classifier, reader: ReaderOptions, opts: RunOptions, out=None, log=None) -> int:
    """Read frames until the source ends, fails for good, or a stop is asked for; returns the exit code."""
    out, log = out or sys.stdout, log or sys.stderr
    vote, stop, writer = StableVote(opts.stable_frames), Stop(), None
    frames, emitted, code, snapshot = 0, [], 0, None
    start = time.perf_counter()
    if opts.kiosk:
        _open_kiosk_window()
    try:
        while not stop.requested:
            frame = source.read()
            if frame is None:
                if source.live and _reconnect(source, opts.retry_max, log):
                    continue
                code = 1 if source.live else 0
                break
            reading = read_frame(frame, classifier, reader)
            frames += 1
            fps = frames / max(time.perf_counter() - start, 1e-6)
            stable = vote.update(reading.text)
            drawn = opts.record or opts.show or (opts.snapshot and stable)
            picture = draw_live(frame, reading, vote.current, fps) if drawn else None
            if stable is not None:
                emitted.append(stable)
                _emit(out, opts.json, time.perf_counter() - start, frames, stable, reading, fps)
                snapshot = picture if stable else snapshot
            if opts.record:
                writer = writer or _writer(opts.record, picture.shape, getattr(source, "fps", 15.0))
                writer.write(picture)
            if (opts.show or opts.kiosk) and _show(picture, frame, vote.current, opts.kiosk):
                break
    except KeyboardInterrupt:
        pass
    finally:
        source.release()
        if writer is not None:
            writer.release()
        if opts.show or opts.kiosk:
            cv2.destroyAllWindows()
    if opts.snapshot and snapshot is not None:
        opts.snapshot.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(opts.snapshot), snapshot)
    _summary(out, opts.json, frames, time.perf_counter() - start, emitted)
    if code:
        print(f"error: the source stopped delivering frames after {opts.retry_max} reconnect attempts", file=log)
    return code


def _reconnect(source, attempts: int, log) -> bool:
    """Reopen a camera that stopped delivering frames, waiting 0.5, 1, 2, 4... s between attempts."""
    wait = RETRY_FIRST_S
    for attempt in range(1, attempts + 1):
        print(f"no frame from the source; reconnecting ({attempt}/{attempts}) in {wait:.1f} s", file=log)
        time.sleep(wait)
        if source.reopen():
            return True
        wait *= 2
    return False


def _emit(out, as_json: bool, t: float, frame: int, text: str, reading, fps: float) -> None:
    digits = reading.as_dict()["digits"]
    confidence = min((d.confidence for d in reading.digits), default=0.0) if text else 0.0
    if as_json:
        record = {"t": round(t, 2), "frame": frame, "text": text, "digits": digits if text else [],
                  "confidence": round(confidence, 3), "fps": round(fps, 1)}
        print(json.dumps(record), file=out, flush=True)
    else:
        print(f"{t:7.2f} s  frame {frame:5d}: {text or '(cleared)'}", file=out, flush=True)


def _summary(out, as_json: bool, frames: int, seconds: float, readings: list) -> None:
    fps = frames / max(seconds, 1e-6)
    if as_json:
        summary = {"frames": frames, "seconds": round(seconds, 2), "fps": round(fps, 1), "readings": readings}
        print(json.dumps({"summary": summary}), file=out, flush=True)
    else:
        shown = ", ".join(r or "(cleared)" for r in readings) or "none"
        print(f"{frames} frames in {seconds:.1f} s ({fps:.1f} fps); readings: {shown}", file=out, flush=True)


def _writer(path: Path, shape: tuple, fps: float):
    path.parent.mkdir(parents=True, exist_ok=True)
    fourcc = cv2.VideoWriter_fourcc(*("MJPG" if path.suffix.lower() == ".avi" else "mp4v"))
    writer = cv2.VideoWriter(str(path), fourcc, fps, (shape[1], shape[0]))
    if not writer.isOpened():
        raise OSError(f"cannot write video {path} (use .mp4 or .avi)")
    return writer


def _open_kiosk_window() -> None:
    cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL)
    cv2.setWindowProperty(WINDOW, cv2.WND_PROP_FULLSCREEN, cv2.WINDOW_FULLSCREEN)


def _show(picture, frame, stable: str, kiosk: bool) -> bool:
    """Draw the window; True when the user pressed q or Esc."""
    if kiosk:
        picture = draw_kiosk(frame.shape, stable)
    cv2.imshow(WINDOW, picture)
    return cv2.waitKey(1) & 0xFF in (ord("q"), 27)


def has_gui() -> bool:
    """Whether this OpenCV can open a window (the headless wheel cannot)."""
    try:
        cv2.namedWindow("probe", cv2.WINDOW_NORMAL)
        cv2.destroyWindow("probe")
        return True
    except cv2.error:
        return False
