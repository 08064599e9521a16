"""The device CLI: ``python -m edge read PATH...`` reads the digits written in images.

    python -m edge read tests/golden --json
    python -m edge read photo.jpg --debug-dir artifacts/debug

Exit codes: 0 every input was read, 1 an input could not be read, 2 a usage error
(bad option, missing or invalid model).
"""

import argparse
import json
import sys
from pathlib import Path

from edge.classifier import DigitClassifier, ModelError
from edge.images import ImageError, expand_inputs, load_image
from edge.reader import MIN_CONFIDENCE, ReaderOptions, read_frame

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
        help="digits read with a lower probability are shown as '?'",
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
        "read", help="read the digits in image files", formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description="Read the number written in each image; a folder reads every image in it.",
    )
    read.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    read.add_argument("--json", action="store_true", help="one JSON object per input, one per line")
    read.add_argument(
        "--debug-dir", type=Path, default=None, metavar="DIR",
        help="write, per input, the picture with boxes and readings and the 28x28 crops fed to the model",
    )
    add_reader_options(read)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        classifier = DigitClassifier(args.model, num_threads=args.num_threads)
    except ModelError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    options = ReaderOptions(args.min_confidence, args.polarity, args.roi)
    return read_files(args, classifier, options)


def read_files(args, classifier, options) -> int:
    failed = 0
    for path in expand_inputs(args.paths):
        try:
            frame = load_image(path)
        except ImageError as err:
            failed += 1
            _report(args.json, {"source": str(path), "error": str(err)})
            continue
        reading = read_frame(frame, classifier, options)
        _report(args.json, {"source": str(path), **reading.as_dict()})
        if args.debug_dir:
            save_debug(args.debug_dir, path, frame, reading)
    return 1 if failed else 0


def _report(as_json: bool, record: dict) -> None:
    if as_json:
        print(json.dumps(record), flush=True)
    elif "error" in record:
        print(f"{record['source']}: error: {record['error']}", flush=True)
    else:
        confidences = ", ".join(f"{d['confidence']:.2f}" for d in record["digits"])
        print(f"{record['source']}: {record['text'] or '(no digits)'}  ({confidences})", flush=True)


def save_debug(folder: Path, source: Path, frame, reading) -> None:
    import cv2

    from edge.overlay import crops_strip, draw_reading

    folder.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(folder / f"{source.stem}.boxes.png"), draw_reading(frame, reading))
    cv2.imwrite(str(folder / f"{source.stem}.crops.png"), crops_strip(reading.crops))


if __name__ == "__main__":
    sys.exit(main())
