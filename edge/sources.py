"""Frame sources behind one small interface: cameras, Picamera2, video files and URLs, still images.

    python -m edge run --source 0            # USB webcam
    python -m edge run --source picamera2    # Raspberry Pi ribbon camera
    python -m edge run --source demo.mp4     # a video file (or rtsp:// / http:// URL)
    python -m edge run --source 'snaps/*.jpg'

Every source has ``read() -> frame or None``, ``reopen()`` and ``release()``; ``live``
says whether a missing frame means trouble (a camera) or the end (a file).
"""

import glob
import sys
from pathlib import Path

import cv2

from edge.images import IMAGE_SUFFIXES, ImageError, load_image

URL_PREFIXES = ("rtsp://", "http://", "https://")


class SourceError(Exception):
    """A source that does not exist or cannot be opened."""


class CaptureSource:
    """cv2.VideoCapture: a camera index, a video file or a stream URL."""

    def __init__(self, target, live: bool, width=None, height=None, fps=None):
        self.target, self.live = target, live
        self._requests = [
            (cv2.CAP_PROP_FRAME_WIDTH, width), (cv2.CAP_PROP_FRAME_HEIGHT, height), (cv2.CAP_PROP_FPS, fps)
        ]
        self._cap = None
        if not self._open():
            what = f"camera {target}" if isinstance(target, int) else str(target)
            raise SourceError(f"cannot open {what}" + (" (no such camera?)" if isinstance(target, int) else ""))

    def _open(self) -> bool:
        self._cap = cv2.VideoCapture(self.target)
        for prop, value in self._requests:
            if value:
                self._cap.set(prop, value)
        return self._cap.isOpened()

    @property
    def fps(self) -> float:
        fps = self._cap.get(cv2.CAP_PROP_FPS) if self._cap is not None else 0
        return fps if 1 <= fps <= 240 else 15.0

    def read(self):
        ok, frame = self._cap.read()
        return frame if ok and frame is not None and frame.size else None

    def reopen(self) -> bool:
        self.release()
        return self._open()

    def release(self) -> None:
        if self._cap is not None:
            self._cap.release()


class PicameraSource:
    """Raspberry Pi camera through Picamera2 (libcamera), greyscale from the Y plane of a YUV420 stream."""

    live = True

    def __init__(self, width=640, height=480, fps=None):
        try:
            from picamera2 import Picamera2  # only on a Pi: apt install python3-picamera2
        except ImportError:
            raise SourceError(
                "picamera2 is not installed (on Raspberry Pi OS: sudo apt install python3-picamera2)"
            ) from None
        self.size, self.fps = (width or 640, height or 480), float(fps or 30)
        self._make = Picamera2
        self._cam = None
        if not self.reopen():
            raise SourceError("no Raspberry Pi camera found by Picamera2")

    def reopen(self) -> bool:
        self.release()
        try:
            self._cam = self._make()
            config = self._cam.create_video_configuration(
                main={"size": self.size}, lores={"size": self.size, "format": "YUV420"},
                controls={"FrameRate": self.fps},
            )
            self._cam.configure(config)
            self._cam.start()
            return True
        except (RuntimeError, IndexError, OSError):
            self._cam = None
            return False

    def read(self):
        try:
            yuv = self._cam.capture_array("lores")
        except (RuntimeError, OSError, AttributeError):
            return None
        w, h = self.size
        return yuv[:h, :w]  # the Y plane is the grey image; no colour conversion, no copy of the main stream

    def release(self) -> None:
        if self._cam is not None:
            self._cam.close()
            self._cam = None


class ImageSource:
    """Still images played as frames, in name order (tests, kiosks that receive snapshots)."""

    live = False
    fps = 5.0

    def __init__(self, paths: list):
        if not paths:
            raise SourceError("no images found")
        self._paths, self._next = list(paths), 0

    def read(self):
        while self._next < len(self._paths):
            path = self._paths[self._next]
            self._next += 1
            try:
                return load_image(path)
            except ImageError as err:
                print(f"skipping {err}", file=sys.stderr)
        return None

    def reopen(self) -> bool:
        return False

    def release(self) -> None:
        pass


def open_source(spec: str, width=None, height=None, fps=None):
    """The source ``spec`` names: a camera index, 'picamera2', a URL, a video, a folder or a glob of images."""
    if spec == "picamera2":
        return PicameraSource(width, height, fps)
    if spec.isdigit():
        return CaptureSource(int(spec), live=True, width=width, height=height, fps=fps)
    if spec.startswith(URL_PREFIXES):
        return CaptureSource(spec, live=True)
    path = Path(spec)
    if path.is_dir():
        return ImageSource(sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES))
    if any(c in spec for c in "*?["):
        return ImageSource(sorted(Path(p) for p in glob.glob(spec) if Path(p).suffix.lower() in IMAGE_SUFFIXES))
    if path.is_file():
        return ImageSource([path]) if path.suffix.lower() in IMAGE_SUFFIXES else CaptureSource(spec, live=False)
    raise SourceError(
        f"unknown source {spec!r}: expected a camera index (0), picamera2, a video file, "
        "an rtsp:// or http:// URL, or a folder or glob of images"
    )
