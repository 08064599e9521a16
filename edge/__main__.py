"""The device CLI: ``python -m edge read`` reads images, ``python -m edge run`` a camera or video.

    python -m edge read tests/golden --json
    python -m edge read photo.jpg --debug-dir artifacts/debug
    python -m edge run --source 0 --show

Exit codes: 0 every input was read, 1 an input could not be read, 2 a usage error
(bad option, missing or invalid model).
"""

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from edge.classifier import DigitClassifier, ModelError
from edge.cli import HelpFormatter
from edge.images import ImageError, expand_inputs, load_for_reading
from edge.memory import keep_frame_memory
from edge.reader import ALONE, IN_A_NUMBER, MIN_CONFIDENCE, WORKING_SIDE, ReaderOptions, read_frame

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "digits_int8.tflite"


def _roi(text: str) -> tuple:
    try:
        x, y, w, h = (int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected x,y,w,h in pixels, got {text!r}") from None
    if min(x, y) < 0 or min(w, h) < 1:
        raise argparse.ArgumentTypeError(f"x and y must be >= 0, w and h >= 1: {text!r}")
    return (x, y, w, h)


def _confidence(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by `read` and `run`: model, confidence, polarity, region."""
    parser.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL, metavar="PATH",
        help="int8 (or float) TFLite digit model; the default is the shipped models/digits_int8.tflite",
    )
    parser.add_argument(
        "--min-confidence", type=_confidence, default=MIN_CONFIDENCE, metavar="P",
        help="digits read with a lower probability are shown as '?' (beside sure digits on their line, "
        f"down to {IN_A_NUMBER:g} of it; a mark alone in the frame, but for a 1, needs {ALONE:g} times it)",
    )
    parser.add_argument(
        "--polarity", choices=("auto", "dark", "light"), default="auto",
        help="ink colour: 'dark' ink on light paper, 'light' ink on a dark ground (a Paint drawing), or 'auto'",
    )
    parser.add_argument(
        "--roi", type=_roi, default=None, metavar="X,Y,W,H", help="read only this region of each image, in pixels"
    )
    parser.add_argument("--num-threads", type=int, default=1, metavar="N", help="interpreter threads")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m edge", description="Read handwritten digits with an int8 TFLite model (no TensorFlow)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    read = commands.add_parser(
        "read", help="read the digits in image files", formatter_class=HelpFormatter,
        description="Read the number written in each image; a folder reads every image in it.",
    )
    read.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    read.add_argument("--json", action="store_true", help="one JSON object per input, one per line")
    read.add_argument(
        "--debug-dir", type=Path, default=None, metavar="DIR",
        help="write, per input, the picture with boxes and readings and the 28x28 crops fed to the model",
    )
    add_reader_options(read)
    add_run_command(commands)
    return parser


def add_run_command(commands) -> None:
    from edge.live import RETRY_MAX
    from edge.stable import STABLE_FRAMES

    run = commands.add_parser(
        "run", help="read a camera, a video or a stream of images live",
        formatter_class=HelpFormatter,
        description="Read digits frame by frame and report the stable reading when it changes.",
    )
    run.add_argument(
        "--source", default="0",
        help="camera index (0), picamera2 (Raspberry Pi camera), a video file, an rtsp:// or http:// URL, "
        "or a folder or glob of images",
    )
    run.add_argument("--width", type=int, default=640, help="requested camera frame width")
    run.add_argument("--height", type=int, default=480, help="requested camera frame height")
    run.add_argument("--fps", type=float, default=None, help="requested camera frame rate")
    run.add_argument("--stable-frames", type=int, default=STABLE_FRAMES, metavar="N",
                     help="frames in the vote: a reading is reported once it wins most of the last N frames")
    run.add_argument("--retry-max", type=int, default=RETRY_MAX, metavar="N",
                     help="reconnect attempts (0.5 s, 1 s, 2 s...) when a camera stops delivering frames")
    run.add_argument("--json", action="store_true",
                     help="one JSON line per stable reading and a final summary; logs go to stderr")
    run.add_argument("--show", action="store_true", help="a window with boxes, readings and fps (q or Esc quits)")
    run.add_argument("--kiosk", action="store_true", help="a full-screen window with only the stable reading")
    run.add_argument("--record", type=Path, default=None, metavar="OUT",
                     help="write the annotated frames to OUT.mp4 (mp4v) or OUT.avi (MJPG)")
    run.add_argument("--snapshot", type=Path, default=None, metavar="PNG",
                     help="save the annotated frame of the last stable reading")
    add_reader_options(run)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    keep_frame_memory()
    try:
        classifier = DigitClassifier(args.model, num_threads=args.num_threads)
    except ModelError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    options = ReaderOptions(args.min_confidence, args.polarity, args.roi)
    if args.command == "run":
        return run_source(args, classifier, options)
    return read_files(args, classifier, options)


def run_source(args, classifier, options) -> int:
    from edge.live import RunOptions, has_gui, run
    from edge.sources import SourceError, open_source

    if args.stable_frames < 1 or args.retry_max < 0:
        print("error: --stable-frames must be >= 1 and --retry-max >= 0", file=sys.stderr)
        return 2
    if (args.show or args.kiosk) and not has_gui():
        print("error: this OpenCV has no GUI (opencv-python-headless); use --record OUT.mp4 instead", file=sys.stderr)
        return 2
    try:
        source = open_source(args.source, args.width, args.height, args.fps)
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    opts = RunOptions(args.stable_frames, args.retry_max, args.json, args.show, args.kiosk, args.record, args.snapshot)
    return run(source, classifier, options, opts)


def read_files(args, classifier, options) -> int:
    failed, debug_names = 0, set()
    for path in expand_inputs(args.paths):
        try:
            frame, factor = load_for_reading(path, WORKING_SIDE)
        except ImageError as err:
            failed += 1
            _report(args.json, {"source": str(path), "error": str(err)})
            continue
        roi = options.roi and tuple(round(v / factor) for v in options.roi)  # given in the file's pixels
        reading = read_frame(frame, classifier, replace(options, roi=roi))
        _report(args.json, {"source": str(path), **reading.as_dict(factor)})
        if args.debug_dir:
            save_debug(args.debug_dir, _unique(path.stem, debug_names), frame, reading)
    return 1 if failed else 0


def _unique(name: str, taken: set) -> str:
    """``name``, or ``name-2``, ``name-3``, ... if taken already: ``a.png`` and ``a.jpg``, or
    ``day1/a.png`` and ``day2/a.png``, keep their own debug pictures."""
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name}-{n}"
    taken.add(found)
    return found


def _report(as_json: bool, record: dict) -> None:
    if as_json:
        print(json.dumps(record), flush=True)
    elif "error" in record:
        print(f"{record['source']}: error: {record['error']}", flush=True)
    else:
        confidences = ", ".join(f"{d['confidence']:.2f}" for d in record["digits"])
        reading = f"{record['text']}  ({confidences})" if record["digits"] else "(no digits)"
        print(f"{record['source']}: {reading}", flush=True)


def save_debug(folder: Path, name: str, frame, reading) -> None:
    """NAME.boxes.png (the frame with boxes, digits and confidences) and NAME.crops.png (the
    28x28 crops as the model saw them) in ``folder``."""
    import cv2

    from edge.overlay import crops_strip, draw_reading

    folder.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(folder / f"{name}.boxes.png"), draw_reading(frame, reading))
    cv2.imwrite(str(folder / f"{name}.crops.png"), crops_strip(reading.crops))


if __name__ == "__main__":
    sys.exit(main())
