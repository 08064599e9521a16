"""Read the number written in a frame: find digits, normalise them, classify in one batch, order them.

    python -m edge read photo.jpg

``read_frame`` is the whole pipeline for one frame; the CLI and the camera loop call
it with a classifier built once.
"""

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from edge.classifier import DigitClassifier
from edge.clutter import quantile
from edge.ink import drawing_ink, ink_colour, to_grey
from edge.marks import (
    MAX_SPLIT,
    SPLIT_ASPECT,
    core_of,
    cut_sets,
    find_writing,
    gap_x,
    joined,
    piece_of,
    row_of,
    stroke_pairs,
)
from edge.normalise import normalise, shrunk

MIN_CONFIDENCE = 0.5  # below this a digit is shown as "?" (chosen by measurement, see README)
NOT_A_DIGIT = 0.12  # a mark read this unsurely (0.1: no idea at all) is no digit, not even a "?"
# (measured: 0 of ~3,300 digits on generated seeds 11 and 2024, 80 of 119 marks on non-digit images)
SPLIT_CONFIDENCE = 0.75  # every piece of a split mark must read at least this surely (a real digit: ~0.9)
SURE_WHOLE = 0.9  # a mark read this surely is not split: the model reads its surest digits 0.91-0.93
AS_SURE = 0.01  # confidences this close are as sure: sure digits read ~0.91, in int8 output steps of 1/256
WORKING_SIDE = 2000  # pixels; larger frames are read shrunk to this longer side (boxes stay in frame pixels)
NUMBER_LINE = 0.75  # a line of marks this much sure digits is a number, whatever else the frame holds
ALONE = 1.4  # a mark alone in the frame, but for a 1, is sure from this many times the minimum confidence
IN_A_NUMBER = 0.3  # beside sure digits on its line, a digit is sure down to this share of the minimum confidence
SAME_LINE = 0.6  # marks whose centres differ by less than this many heights share a line of writing
NEIGHBOUR = 3.0  # heights: a mark this near beside another shows the direction the writing runs in
FLAG_ONE = 0.15  # a crop read as 7 that the model gives 1 this probability too may be a flagged 1...
FLAG_BAND = 0.15  # ...when its ink across the top this share of its height...
FLAG_SPAN = 0.35  # ...spans at most this share of its height (MNIST's 7s: 0.4 and up for 95 in 100)...
FLAG_DEPTH = 0.1  # ...and its leftmost ink in the upper half lies this share of the height below the top
FLAG_INK = 76  # crop pixels this bright (0.3 of full) are ink, as the crop's box is taken in normalise
SMALL_MARK = 0.6  # a mark under this share of the tallest mark's height is part of the number only beside
NEAR_A_DIGIT = 0.6  # a bigger mark of its line, this many of that mark's heights away, or between two,
# or in a row that shrinks from a bigger one step by step (edge.marks.row_of)
WORD_MARKS = 3  # a line of this many marks or more...
WORD_SHARE = 1 / 3  # ...this share of them small beside the rest is a word: x-height letters between tall ones,
WORD_SMALL = 2  # and this many at least (one may be a digit that broke in pencil: "434" read with a 4 8 px of 14)
HALF_FROM = 480  # px: a frame whose shorter side is this or more is searched at half size first...
FINE_ENOUGH = 24  # px: ...and read there when every mark found is this tall (MNIST's digits are 20)
LEVEL_FROM = 15.0  # degrees: writing that runs this steeply is on a page turned in the photo, and each
# digit is turned back level (a hand drifts less: generated rows slope up to ~10 degrees, digits upright)


@dataclass(frozen=True)
class ReaderOptions:
    min_confidence: float = MIN_CONFIDENCE  # probability under which a digit reads as "?"
    polarity: str = "auto"  # ink colour: "dark" on light paper, "light" on dark, or "auto"
    roi: tuple | None = None  # (x, y, w, h) part of the frame to read; None = all of it


@dataclass(frozen=True)
class Digit:
    digit: int  # 0-9, the most probable class
    confidence: float  # its probability
    box: tuple  # (x, y, w, h) in frame pixels
    accepted: bool  # confidence >= min_confidence


@dataclass
class Reading:
    text: str  # digits left to right, "?" for unsure ones, lines separated by a space
    digits: list  # ``Digit`` in reading order
    crops: np.ndarray = field(repr=False)  # (N, 28, 28) uint8 as fed to the model, same order
    ms: float = 0.0  # time to read the frame, milliseconds

    def as_dict(self, factor: int = 1) -> dict:
        """The reading as JSON-ready data, boxes times ``factor`` (an image decoded smaller than
        its file: ``edge.images.load_for_reading``)."""
        return {
            "text": self.text,
            "digits": [
                {"digit": d.digit, "confidence": round(d.confidence, 3), "box": [v * factor for v in d.box],
                 "sure": d.accepted}
                for d in self.digits
            ],
            "ms": round(self.ms, 2),
        }


def read_frame(frame: np.ndarray, classifier: DigitClassifier, options: ReaderOptions = ReaderOptions()) -> Reading:
    """(H, W) grey or (H, W, 3) BGR uint8 -> the digits written in it."""
    start = time.perf_counter()
    grey = to_grey(frame)
    dx, dy = 0, 0
    if options.roi is not None:
        dx, dy, w, h = options.roi
        grey = grey[dy : dy + h, dx : dx + w]
    if grey.size == 0 or min(grey.shape) < 8:
        return Reading("", [], np.zeros((0, 28, 28), np.uint8), _ms(start))
    grey, scale = _working_size(grey)
    found, coarse = _found(grey, options.polarity, classifier)
    scale *= coarse
    found = _join_strokes(found, classifier, options.min_confidence)
    slant = _slant(found)
    marks = _in_the_number(_reading_order(found, slant))
    turn = np.degrees(slant) if abs(slant) >= np.radians(LEVEL_FROM) else 0.0  # a page turned in the photo
    crops = np.stack([normalise(m.ink, turn) for m, _ in marks]) if marks else np.zeros((0, 28, 28), np.uint8)
    probs = _read(classifier, crops)
    marks, crops, probs = _split_touching(marks, crops, probs, classifier, options.min_confidence, turn)
    marks, crops, probs = _without_specks(marks, crops, probs, classifier, options.min_confidence, turn)
    probs = _flags_as_ones(crops, probs)
    lines = [line for _, line in marks]
    whole = np.array([m.whole for m, _ in marks], bool)
    confidence = probs.max(axis=1) if len(probs) else np.zeros(0)
    sure = _surer_alone(_consensus(confidence, whole, lines, options.min_confidence), confidence, probs,
                        options.min_confidence)
    shown = np.flatnonzero(confidence >= NOT_A_DIGIT)  # after the consensus
    words = _written_words([marks[i][0].box for i in shown], [lines[i] for i in shown])
    sure &= np.array([line not in words for line in lines], bool)
    digits = []
    for i in shown:
        x, y, w, h = (round(v * scale) for v in marks[i][0].box)
        best = int(np.argmax(probs[i]))
        digits.append(Digit(best, float(probs[i][best]), (x + dx, y + dy, w, h), bool(sure[i])))
    return Reading(_text(digits, [lines[i] for i in shown]), digits, crops[shown], _ms(start))


def _read(classifier: DigitClassifier, crops: np.ndarray) -> np.ndarray:
    """(N, 28, 28) crops -> (N, 10) probabilities, a crop without ink no digit at all (uniform):
    the model reads a blank image as a sure 1 (0.90), and a mark too faint to leave ink in its
    crop (a stretch of a ruled line's blurred rim) read as a 1 in front of the number."""
    probs = classifier.predict(crops)
    blank = ~crops.any(axis=(1, 2))
    if blank.any():
        probs = np.where(blank[:, None], np.float32(1 / probs.shape[1]), probs)
    return probs


def _in_the_number(marks: list) -> list:
    """[(mark, line)] less the small marks (under SMALL_MARK of the tallest's height) that stand
    apart from the number: printed text beside or above a number written on a form ("Total",
    "Age:"), whose capitals read as digits (A as 9, D as 0, S as 5) and left the number's line
    unsure. A small digit of a number stays: between two of its bigger digits, at its end within
    NEAR_A_DIGIT of one, or in a row of digits that shrinks into the distance (``row_of``).
    ``python -m tests.reader_eval --form``: 158 -> 185 of 200; the generated strings, fonts and
    pencil photos the same; rows photographed at a slant, their far end 0.4-0.7 the size of the
    near one: 505 -> 501 of 600 (485 without the rows). Raising the frame's height floor to 0.6
    instead lost digits: a short one at the start of a number, a 6's loop drawn apart."""
    if not marks:
        return marks
    least = SMALL_MARK * max(m.box[3] for m, _ in marks)
    digits = row_of([m.box for m, _ in marks], [k for k, (m, _) in enumerate(marks) if m.box[3] >= least])
    keep = []
    for k, (m, line) in enumerate(marks):
        ends = [b for b in digits if marks[b][1] == line]  # the number's marks on this line, in reading order
        between = bool(ends) and ends[0] < k < ends[-1]
        near = any(gap_x(m.box, marks[b][0].box) <= NEAR_A_DIGIT * marks[b][0].box[3] for b in ends)
        if k in digits or between or near:
            keep.append((m, line))
    return keep


def _written_words(boxes: list, lines: list) -> set:
    """The lines of marks (their (x, y, w, h) ``boxes``, in reading order) that are written words,
    not numbers: of WORD_MARKS or more, WORD_SHARE of them (WORD_SMALL at least) under SMALL_MARK
    of the line's tallest, and one of those beside a mark over 1 / SMALL_MARK times its height.
    A word's x-height letters (a, c, e, o, s) stand right beside its tall ones (b, d, g, h, l, t)
    at about half their height, and a hand's letters read as digits one by one: "good" as 9002,
    "look" as 1006. A number's digits are of a height, but for one written small now and then; a row
    photographed at a slant shrinks into the distance a step at a time, each digit 0.7-0.9 of
    the one before, never to half at once (handwritten words in 21 fonts read with confidence:
    113 -> 100 of 252; every set of numbers and of non-digit images the same, rows on pages
    turned away from the camera too). Capitals are of a height: "THIS" reads 415. Only the
    marks read as digits at all count: a printed label's letters beside a form's number are no
    word of the writer's."""
    words = set()
    for line in set(lines):
        heights = [h for (_, _, _, h), on in zip(boxes, lines) if on == line]
        tallest = max(heights)
        small = sum(h < SMALL_MARK * tallest for h in heights)
        if len(heights) < WORD_MARKS or small < max(WORD_SMALL, WORD_SHARE * len(heights)):
            continue
        if any(min(a, b) < SMALL_MARK * max(a, b) for a, b in zip(heights, heights[1:])):
            words.add(line)
    return words


def _flags_as_ones(crops: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """``probs`` with those of 1 and 7 swapped for the crops read as 7 that are flagged 1s.

    Most of Europe writes a 1 with a flag, which MNIST's writers hardly do, and the model
    reads it as a 7 (41 of 100 drawn upright). A 7's bar runs level and wide across the top;
    a flag is short and slants down from it. The model's doubt (FLAG_ONE) keeps MNIST's own
    narrow 7s out: of the 7s of 1,800 generated strings one turned to a 1."""
    out = probs.copy()
    for i in np.flatnonzero((probs.argmax(axis=1) == 7) & (probs[:, 1] >= FLAG_ONE)):
        if _has_a_flag(crops[i] > FLAG_INK):
            out[i, [1, 7]] = probs[i, [7, 1]]
    return out


def _has_a_flag(ink: np.ndarray) -> bool:
    """The top of this (28, 28) ink mask is narrow (FLAG_SPAN) and slants down to the left
    (FLAG_DEPTH), as a 1's flag does and a 7's bar does not."""
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return False
    top, height = rows[0], rows[-1] - rows[0] + 1
    cols = np.flatnonzero(ink[top : top + max(2, int(FLAG_BAND * height))].any(axis=0))
    upper = ink[top : top + max(1, height // 2)]
    leftmost = np.flatnonzero(upper[:, np.flatnonzero(upper.any(axis=0))[0]]).mean()
    return cols[-1] - cols[0] + 1 <= FLAG_SPAN * height and leftmost >= FLAG_DEPTH * height


def _found(grey: np.ndarray, polarity: str, classifier: DigitClassifier) -> tuple:
    """(the marks written in ``grey``, the factor from their pixels to its own).

    A frame of HALF_FROM or more is searched at half size first, and read there when every
    mark found is FINE_ENOUGH tall: a quarter of the pixels for the whole search, and each
    crop is still shrunk to MNIST's 20 px. Smaller writing is searched for again at full
    size, and so is a frame where nothing was found: a digit 12 px tall is 6 at half size.
    Where no piece of ink is FINE_ENOUGH tall, the half-size search gives up at once. The
    bench's 640x480 frames of 1-4 digits: 0.70 times the time (55 of 100 read at half size,
    38 give up early). FINE_ENOUGH 32 -> 24, and touching digits searched again (``_touching``):
    64 read at half size, 29 give up early, 0.938 times the time; 22 generated sets (12 seeds
    of 300 numbers; desks, markers, shadows, pencil, forms, notebooks, grids, printed words,
    typed and shaken numbers): 4,639 -> 4,647 of 5,100 read right, 65 -> 62 of 2,200 non-digit
    images read with confidence (the floor alone at 24 / 20: 4,645 / 4,639, 65 either way)."""
    if min(grey.shape) >= HALF_FROM:
        half = _shrunk(grey, 0.5)
        polarity = ink_colour(half, polarity)  # once for both searches
        found = find_writing(half, polarity, shrunk_by=2, least=FINE_ENOUGH)
        if found and min(m.box[3] for m in found) >= FINE_ENOUGH and not _touching(found, classifier):
            return found, 2.0
    return find_writing(grey, polarity), 1.0


def _touching(marks: list, classifier: DigitClassifier) -> bool:
    """Some of ``marks`` may be digits written touching: a mark wide enough to hold two
    (SPLIT_ASPECT) that reads less surely than each piece of a cut must (SPLIT_CONFIDENCE,
    ``_split_touching``). A wide digit reads surely; digits that touch read as none."""
    wide = (m for m in marks if m.box[2] >= SPLIT_ASPECT * m.box[3])  # one at a time: a page of texture has many
    return any(_read(classifier, normalise(m.ink)[None]).max() < SPLIT_CONFIDENCE for m in wide)


def _working_size(grey: np.ndarray) -> tuple:
    """A 12-48 MP phone photo shrunk to WORKING_SIDE on its longer side, and the factor back to
    its pixels: every rule is relative to the frame, a digit readable in the photo stays 20 px
    or more tall, and the reading is 2-5x faster (measured on upscaled generated photos)."""
    side = max(grey.shape)
    if side <= WORKING_SIDE:
        return grey, 1.0
    return _shrunk(grey, WORKING_SIDE / side), side / WORKING_SIDE


def _shrunk(grey: np.ndarray, f: float) -> np.ndarray:
    """``grey`` scaled by ``f`` < 1. A drawing's thin lines are widened first, or shrinking fades
    them (a scan that clips its paper to white counts too, harmlessly: its pen strokes are wider
    than the widening, 40 upscaled scans and drawings read the same; shrunk by area, a 1-px
    line of a 4000-px canvas is half as dark, too faint to be ink: 0 of 20 MNIST digits read)."""
    drawn = drawing_ink(grey)
    if drawn is not None:
        return shrunk(grey, f, dark_ink=drawn == "dark")
    return cv2.resize(grey, (round(grey.shape[1] * f), round(grey.shape[0] * f)), interpolation=cv2.INTER_AREA)


def _consensus(confidence: np.ndarray, whole: np.ndarray, lines: list, min_confidence: float) -> np.ndarray:
    """Which marks are sure digits, given what else is on their line and in the frame.

    Marks that are mostly not digits are not a number: a word whose O reads as 0, a
    scribble with one digit-like loop, a page of print, stars in the sky. A line where fewer
    than half the marks are sure digits is all unsure, and so is everything else in the frame
    when that holds for it together. So is a line where half are, when another reads as no
    digit at all (under NOT_A_DIGIT): a short word, "is" or "to", whose s or o reads as 5 or 0
    beside a letter the model knows is none (pages of printed words: 7.5% -> 4.5% of 200 read a
    digit with confidence; non-digit images 33 -> 28 of 800; the six seeds as before). A line
    of digits (at least NUMBER_LINE of them sure) stands on its own, so a number written on a
    printed form is still read.

    Last, a line that still holds sure digits is a number, and in it a digit is sure down
    to IN_A_NUMBER of ``min_confidence``, where "?" is always wrong: from 0.3 to 0.5 its best
    guess was right for 24 of 34 such digits on generated seeds 11 and 5, from 0.15 to 0.3 for
    11 of 14 on the six seeds (six seeds 1,693 -> 1,704 of 1,800 strings right, six unseen
    seeds 1,659 -> 1,669; down to 0.2 only: 1,702 and 1,662; commas and hyphens beside a number
    as before). This cannot make a frame read as a number that did not already: the line had
    a sure digit."""
    conf, whole = confidence.tolist(), whole.tolist()  # a few marks: plain Python beats NumPy's calls
    least, near = _as_float32(min_confidence), _as_float32(IN_A_NUMBER * min_confidence)
    sure = [w and c >= least for w, c in zip(whole, conf)]
    per_line = {}
    for k, line in enumerate(lines):
        per_line.setdefault(line, []).append(k)
    per_line = [here for here in per_line.values() if len(here) >= 2]
    rest = set(range(len(conf)))
    for here in per_line:
        count = sum(sure[k] for k in here)
        if _mostly_not_digits(count, len(here), any(conf[k] < _NOT_A_DIGIT for k in here)):
            for k in here:
                sure[k] = False
        elif count / len(here) >= NUMBER_LINE:
            rest -= set(here)
    if len(rest) >= 2 and 2 * sum(sure[k] for k in rest) < len(rest):
        for k in rest:
            sure[k] = False
    for here in per_line:
        if any(sure[k] for k in here):
            for k in here:
                sure[k] = sure[k] or (whole[k] and conf[k] >= near)
    return np.array(sure, bool)


def _mostly_not_digits(sure: int, marks: int, no_digit: bool) -> bool:
    """Fewer than half of a line's ``marks`` are ``sure`` digits, or half, beside one that is
    ``no_digit`` at all."""
    return 2 * sure < marks or (2 * sure == marks and no_digit)


def _as_float32(threshold: float) -> float:
    """``threshold`` as NumPy compares it with float32 confidences: rounded to float32."""
    return float(np.float32(threshold))


_NOT_A_DIGIT = _as_float32(NOT_A_DIGIT)


def _surer_alone(sure: np.ndarray, confidence: np.ndarray, probs: np.ndarray, min_confidence: float) -> np.ndarray:
    """``sure`` less a mark alone in the frame (the only one that reads as a digit at all) that
    reads under ALONE times ``min_confidence``, unless it reads as 1.

    Alone, nothing beside it says it is writing: a scribble, a letter written by hand (H, u,
    y as 4, a as 9 or 2) or a shape reads as some digit at 0.5-0.7, where the model's sure digits
    read ~0.9. A 1 is spared: a flagged 1 reads 0.5-0.7 after the flag swaps 1 and 7, and
    nothing but a stroke reads as 1. Non-digit images read with confidence: 28 -> 16 of 800;
    single letters in 21 handwriting fonts 184 -> 122 of 630; upright flagged 1s 73 of 100 as
    before (51 with no 1 spared). Lost: 4 of the six seeds' 1,800 strings and 2 of 120 desk
    photos, each a lone digit hard to read (a 4 in broken 1-px lines, a blotted 4, a 7 13 px
    tall, an 8 the frame cuts, an 8 like a b, a 4 like a u), now "?"."""
    shown = np.flatnonzero(confidence >= NOT_A_DIGIT)
    if len(shown) != 1 or probs[shown[0]].argmax() == 1:
        return sure
    return sure & ((np.arange(len(sure)) != shown[0]) | (confidence >= ALONE * min_confidence))


def _join_strokes(found: list, classifier: DigitClassifier, min_confidence: float) -> list:
    """Marks -> the same, where two side by side read as one digit that neither reads as alone.

    A digit drawn in strokes that do not touch (a 4 as an arm and a stem, a 9 as a loop and
    a stem, as a mouse draws them) makes two marks (``edge.marks.stroke_pairs``). The two
    become one mark where together they read as another digit than either apart, as surely
    as a split digit must and as the less sure of the two (to AS_SURE): beside a 5, a 1
    adds nothing to what the 5 reads as. They are read upright, before the direction of the
    writing is measured on the joined marks; a frame with such a pair reads its marks twice."""
    pairs = stroke_pairs(found)
    if not pairs:
        return found
    both = [joined(found[i], found[j]) for i, j in pairs]
    parts = sorted({k for pair in pairs for k in pair})
    probs = _read(classifier, np.stack([normalise(m.ink) for m in [found[k] for k in parts] + both]))
    sure = dict(zip(parts, probs[: len(parts)].max(axis=1)))
    read = dict(zip(parts, probs[: len(parts)].argmax(axis=1)))
    out, used = list(found), set()
    for (i, j), mark, p in zip(pairs, both, probs[len(parts) :]):
        if i in used or j in used or p.argmax() in (read[i], read[j]):
            continue
        if p.max() >= max(min_confidence, SPLIT_CONFIDENCE, min(sure[i], sure[j]) - AS_SURE):
            out[i], out[j] = mark, None
            used |= {i, j}
    return [m for m in out if m is not None]


def _without_specks(marks, crops, probs, classifier, min_confidence, turn=0.0):
    """``marks`` with each one merged from pieces that reads under ``min_confidence`` replaced by
    its largest piece alone (``edge.marks.core_of``), where that reads SURE_WHOLE or more as any
    digit but 1.

    A small piece beside a digit is merged with it, as a 5's bar or the rest of a broken stroke
    must be; a comma or a hyphen written beside it is merged the same way, and the digit read
    as "?" (four digits with a comma or a hyphen after the second: 47 -> 61 of 80 read right;
    the six seeds 1,692 -> 1,693). Not as a 1: any stroke reads as one, and the largest stroke
    of a scribble did (non-digit images read with confidence 17 -> 27 of 800 with 1s). After
    the touching digits are cut apart: a digit broken into small pieces beside another is merged
    with it too, and went with the rest of the mark (2 of the unseen seeds' strings)."""
    unsure = [i for i, (mark, _) in enumerate(marks) if mark.core is not None and probs[i].max() < min_confidence]
    if not unsure:
        return marks, crops, probs
    crops, probs, marks = crops.copy(), probs.copy(), list(marks)
    for i in unsure:
        mark, line = marks[i]
        core = core_of(mark)
        crop = normalise(core.ink, turn)
        p = _read(classifier, crop[None])[0]
        if p.max() >= SURE_WHOLE and p.argmax() != 1:
            marks[i], crops[i], probs[i] = (core, line), crop, p
    return marks, crops, probs


def _split_touching(marks, crops, probs, classifier, min_confidence, turn=0.0):
    """Replace a wide mark by the fewest pieces (2 to MAX_SPLIT touching digits) that all read as
    digits more surely than the whole (``_cut_apart``). A mark read SURE_WHOLE or more is not
    tried: no piece reads more surely than that (none did in the six seeds, fonts and pencil
    photos, 240 of 488 marks tried there), and each piece read costs a normalise and a model call."""
    out_marks, out_crops, out_probs, split = [], [], [], False
    for i, (mark, line) in enumerate(marks):
        least = max(min_confidence, SPLIT_CONFIDENCE, probs[i].max())
        pieces = _cut_apart(mark, least, classifier, turn) if probs[i].max() < SURE_WHOLE else None
        if pieces is None:
            pieces = [(mark, crops[i], probs[i])]
        split |= len(pieces) > 1
        out_marks += [(m, line) for m, _, _ in pieces]
        out_crops += [c for _, c, _ in pieces]
        out_probs += [p for _, _, p in pieces]
    if not split:
        return marks, crops, probs
    return out_marks, np.stack(out_crops), np.stack(out_probs)


def _cut_apart(mark, least: float, classifier: DigitClassifier, turn: float):
    """[(piece, crop, probabilities)] of the fewest pieces that ``mark`` cuts into (``cut_sets``)
    that all read at least ``least`` surely (of those, the one whose least sure piece is surest),
    or None. Each piece is read once, left to right, and a cut given up at its first piece read
    unsurely: most marks tried are one wide digit, and a piece's normalise costs more than a
    model call."""
    read = {}  # (first column, end column) -> (piece, crop, probabilities) read surely, or None

    def sure(a, b):
        if (a, b) not in read:
            piece, read[(a, b)] = piece_of(mark, a, b), None
            if piece is not None:
                crop = normalise(piece.ink, turn)
                probs = _read(classifier, crop[None])[0]
                read[(a, b)] = (piece, crop, probs) if probs.max() >= least else None
        return read[(a, b)]

    for n in range(2, MAX_SPLIT + 1):
        best, surest = None, 0.0
        for cuts in cut_sets(mark, n):
            ends, pieces = (0, *cuts, mark.ink.shape[1]), []
            for a, b in zip(ends, ends[1:]):
                if (piece := sure(a, b)) is None:
                    break
                pieces.append(piece)
            else:
                if (weakest := min(p.max() for _, _, p in pieces)) > surest:
                    best, surest = pieces, weakest
        if best is not None:
            return best
    return None


def _reading_order(marks: list, slant: float = 0.0) -> list:
    """Marks -> [(mark, line number)] sorted top line first, left to right within a line,
    positions measured along and across the writing's direction (``slant``, radians)."""
    cos, sin = np.cos(slant), np.sin(slant)
    along = {id(m): cos * (m.box[0] + m.box[2] / 2) + sin * (m.box[1] + m.box[3] / 2) for m in marks}
    across = {id(m): cos * (m.box[1] + m.box[3] / 2) - sin * (m.box[0] + m.box[2] / 2) for m in marks}
    lines = []  # each: [position across the writing and height of the last mark added, marks]
    for mark in sorted(marks, key=lambda m: across[id(m)]):
        cy, h = across[id(mark)], mark.box[3]
        if lines and cy - lines[-1][0] < SAME_LINE * max(h, lines[-1][1]):  # chained: a slanted row stays one
            lines[-1][0], lines[-1][1] = cy, h
            lines[-1][2].append(mark)
        else:
            lines.append([cy, h, [mark]])
    return [(m, n) for n, (_, _, ms) in enumerate(lines) for m in sorted(ms, key=lambda m: along[id(m)])]


def _slant(marks: list) -> float:
    """The direction the writing runs in, radians from the frame's horizontal (a row that
    rises to the right is negative): the median direction from each mark to its nearest
    neighbour of about its height that lies more beside it than above or below it, within
    NEIGHBOUR heights. 0 when no mark has one."""
    if len(marks) < 2:
        return 0.0
    boxes = [m.box for m in marks]  # a few marks: plain Python beats NumPy's calls on (N, N) arrays
    ways = []  # to each mark's nearest neighbour, pointing right
    for i, (x, y, w, h) in enumerate(boxes):
        nearest = None  # (squared distance, dx, dy): exact for centres on a half-pixel grid
        for j, (ox, oy, ow, oh) in enumerate(boxes):
            dx, dy = ox + ow / 2 - (x + w / 2), oy + oh / 2 - (y + h / 2)
            beside = j != i and abs(dx) > abs(dy) and 0.5 * h < oh < 2 * h
            if beside and (nearest is None or dx * dx + dy * dy < nearest[0]):
                nearest = (dx * dx + dy * dy, dx, dy)
        if nearest is not None and nearest[0] <= (NEIGHBOUR * h) ** 2:
            ways.append(nearest[1:] if nearest[1] > 0 else (-nearest[1], -nearest[2]))
    if not ways:
        return 0.0
    dx, dy = np.array(ways, float).T
    return quantile(np.arctan2(dy, dx), 0.5)


def _text(digits: list, lines: list) -> str:
    out = ""
    for i, d in enumerate(digits):
        if i and lines[i] != lines[i - 1]:
            out += " "
        out += str(d.digit) if d.accepted else "?"
    return out


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000
