"""Score the edge reader on labelled images: whole-string and per-digit accuracy, false accepts.

    python -m tests.reader_eval --count 300 --non-digits 100 --debug-dir artifacts/eval

Used by the accuracy tests and by hand to look at failures (--debug-dir writes the
boxes and crops of every misread image).
"""

import argparse
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from edge.classifier import DigitClassifier
from edge.cli import HelpFormatter
from edge.reader import ReaderOptions, read_frame

MODEL = Path(__file__).resolve().parent.parent / "models" / "digits_int8.tflite"
SCENES = {"desk": "desk_sample", "grid": "grid_sample", "notebook": "notebook_sample", "marker": "marker_sample",
          "form": "form_sample"}  # --desk ...


@dataclass
class Score:
    images: int = 0
    strings_right: int = 0
    digits: int = 0  # digits written
    digits_right: int = 0  # written digits read as themselves, in order
    extra: int = 0  # digits read that were not written
    failures: list = field(default_factory=list)  # (name, truth, text)

    @property
    def string_accuracy(self) -> float:
        return self.strings_right / max(self.images, 1)

    @property
    def digit_accuracy(self) -> float:
        return self.digits_right / max(self.digits + self.extra, 1)


def score_readings(pairs) -> Score:
    """pairs of (name, truth text, read text) -> Score; digits are matched in order (difflib)."""
    score = Score()
    for name, truth, text in pairs:
        text = text.replace(" ", "")
        score.images += 1
        score.digits += len(truth)
        matched = sum(b.size for b in difflib.SequenceMatcher(None, truth, text, autojunk=False).get_matching_blocks())
        score.digits_right += matched
        score.extra += max(len(text) - matched - (len(truth) - matched), 0)
        if text == truth:
            score.strings_right += 1
        else:
            score.failures.append((name, truth, text))
    return score


def false_accepts(readings) -> float:
    """Fraction of non-digit images where anything was read with confidence."""
    bad = sum(1 for r in readings if any(d.accepted for d in r.digits))
    return bad / max(len(readings), 1)


def main(argv=None) -> int:
    from edge.__main__ import save_debug
    from tests import synth

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=HelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="labelled images to generate and read")
    parser.add_argument("--non-digits", type=int, default=100, metavar="N",
                        help="images without a digit to read (blank, ruled, scribble, letter, texture)")
    parser.add_argument("--seed", type=int, default=11, help="image i of a set depends only on (seed, i)")
    parser.add_argument("--min-confidence", type=float, default=ReaderOptions().min_confidence, metavar="P",
                        help="the reader's threshold for a sure digit")
    parser.add_argument("--model", type=Path, default=MODEL, help="int8 TFLite model to read with")
    parser.add_argument("--debug-dir", type=Path, default=None, metavar="DIR",
                        help="write the boxes and crops of every image read wrong here")
    parser.add_argument("--data", default=os.environ.get("MNIST_NPZ"), metavar="NPZ",
                        help="MNIST, whose test digits are drawn into the images; default: $MNIST_NPZ, "
                        "else the Keras download")
    parser.add_argument("--pencil", type=int, default=None, metavar="GREY",
                        help="score phone photos only, every ink but chalk a pencil this grey (150: light)")
    parser.add_argument("--typed", action="store_true",
                        help="score numbers typed in OpenCV's Hershey fonts instead (shapes unlike MNIST's)")
    parser.add_argument("--marker", action="store_true",
                        help="score numbers of 1-3 digits written big in a thick marker instead (50-90%% of the frame)")
    parser.add_argument("--shadow", type=float, default=None, metavar="DEPTH",
                        help="score numbers under (even) and beside (odd) a broad shadow taking this much light")
    parser.add_argument("--desk", action="store_true",
                        help="score photos of a page on a dark desk, the page about half the frame, instead")
    parser.add_argument("--grid", action="store_true",
                        help="score photos of numbers on squared paper (a light blue or grey grid) instead")
    parser.add_argument("--notebook", action="store_true",
                        help="score photos of numbers written on a ruled notebook page, most of it lying on a desk, "
                        "instead")
    parser.add_argument("--form", action="store_true",
                        help="score scans of a number written beside or under a printed label (\"Total\", \"Age:\") "
                        "instead")
    parser.add_argument("--shake", type=float, default=None, metavar="PX",
                        help="score the generated photos (not scans or drawings) blurred along a line 3 to PX px "
                        "long, as by a hand that moved")
    parser.add_argument("--turn", type=float, default=None, metavar="T",
                        help="score the generated photos turned away from the camera, the far side shrunk by 2t, "
                        "t from T/2 to T (0.3: 0.4-0.7 the near side's size)")
    parser.add_argument("--words", action="store_true",
                        help="take pages of printed words as the non-digit images (o, l and s read as digits)")
    args = parser.parse_args(argv)
    x, y = synth.load_test_digits(args.data)
    clf, opts = DigitClassifier(args.model), ReaderOptions(min_confidence=args.min_confidence)
    pairs, by_kind = [], {}
    if args.typed:
        fonts = list(synth.FONTS)
        samples = [synth.typed_sample(np.random.default_rng([args.seed, i]), fonts[i % len(fonts)])
                   for i in range(args.count)]
    elif args.shadow is not None:
        samples = [synth.shadow_sample(np.random.default_rng([args.seed, i]), x, y, args.shadow, over=i % 2 == 0)
                   for i in range(args.count)]
    elif scene := next((k for k in SCENES if getattr(args, k)), None):
        make = getattr(synth, SCENES[scene])
        samples = [make(np.random.default_rng([args.seed, i]), x, y) for i in range(args.count)]
    elif args.shake is not None or args.turn is not None:
        photos = [s for s in synth.make_set(args.seed, args.count, x, y) if s.kind == "photo"]
        rngs = [np.random.default_rng([args.seed, 2 * 10**6 + i]) for i in range(len(photos))]
        samples = [synth.shaken(r, s, args.shake) if args.shake is not None else synth.turned_away(r, s, args.turn)
                   for r, s in zip(rngs, photos)]
    elif args.pencil is None:
        samples = synth.make_set(args.seed, args.count, x, y)
    else:
        rng = np.random.default_rng(args.seed)
        samples = [synth.photo_sample(rng, x, y, pencil=args.pencil) for _ in range(args.count)]
    for i, s in enumerate(samples):
        r = read_frame(s.image, clf, opts)
        pairs.append((f"{i:03d}_{s.kind}", s.text, r.text))
        by_kind.setdefault(s.kind, []).append(pairs[-1])
        if args.debug_dir and r.text.replace(" ", "") != s.text:
            save_debug(args.debug_dir, f"{i:03d}_{s.kind}_{s.text}", s.image, r)
    score = score_readings(pairs)
    print(f"digits: strings {score.string_accuracy:.1%}, per digit {score.digit_accuracy:.1%} ({score.images} images)")
    for kind, kp in sorted(by_kind.items()):
        k = score_readings(kp)
        print(f"  {kind:6s} strings {k.string_accuracy:.1%}  per digit {k.digit_accuracy:.1%}  ({k.images})")
    nd = (synth.make_word_pages if args.words else synth.make_non_digits)(args.seed, args.non_digits)
    readings = [read_frame(s.image, clf, opts) for s in nd]
    print(f"non-digits: false accepts {false_accepts(readings):.1%} of {len(nd)}")
    for s, r in zip(nd, readings):
        if any(d.accepted for d in r.digits):
            print(f"  {s.kind}: {r.text} {[round(d.confidence, 2) for d in r.digits]}")
            if args.debug_dir:
                save_debug(args.debug_dir, f"nodigit_{s.kind}_{len(r.text)}", s.image, r)
    for name, truth, text in score.failures[:40]:
        print(f"  {name}: {truth} -> {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
