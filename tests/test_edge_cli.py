"""python -m edge read: output contract, exit codes, and bad input that must never crash or hang."""

import json
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from edge.__main__ import main as edge_main

GOLDEN = Path(__file__).resolve().parent / "golden"


def _run(args, capsys):
    code = edge_main(["read", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _digit_image(tmp_path, name="seven.png"):
    """A thick 7 drawn on white paper: simple enough that any working reader gets it."""
    page = np.full((240, 320), 235, np.uint8)
    cv2.polylines(page, [np.int32([[120, 60], [200, 60], [150, 190]])], False, 20, 9)
    cv2.imwrite(str(tmp_path / name), page)
    return tmp_path / name


def test_text_mode_prints_path_reading_and_confidences(tmp_path, capsys):
    path = _digit_image(tmp_path)
    code, out, _ = _run([path], capsys)
    assert code == 0
    assert out.startswith(f"{path}: 7  (0.") and out.rstrip().endswith(")")


def test_json_mode_follows_the_contract(tmp_path, capsys):
    path = _digit_image(tmp_path)
    code, out, _ = _run([path, "--json"], capsys)
    record = json.loads(out)
    assert code == 0 and set(record) == {"source", "text", "digits", "ms"}
    assert record["source"] == str(path) and record["text"] == "7"
    digit = record["digits"][0]
    assert digit["digit"] == 7 and 0.5 < digit["confidence"] <= 1.0 and digit["sure"] is True
    x, y, w, h = digit["box"]
    assert 110 <= x <= 130 and 50 <= y <= 70 and 60 < w < 100 and 110 < h < 150


def test_a_phone_photo_stored_sideways_is_read_upright(tmp_path, capsys):
    # Phones store a portrait photo as landscape pixels plus an EXIF orientation tag.
    from PIL import Image

    upright = cv2.imread(str(_digit_image(tmp_path)), cv2.IMREAD_GRAYSCALE)
    stored = np.ascontiguousarray(np.rot90(upright, 1))  # the sensor's pixels, turned a quarter
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    Image.fromarray(stored).save(tmp_path / "portrait.jpg", exif=exif, quality=95)
    code, out, _ = _run([tmp_path / "portrait.jpg", "--json"], capsys)
    record = json.loads(out)
    assert code == 0 and record["text"] == "7", record
    x, y, w, h = record["digits"][0]["box"]
    assert h > w  # a 7 standing up, in the displayed image's coordinates


def _big_photo(tmp_path, portrait=False):
    """A 12 MP phone photo (4032x3024) of a 7 whose box is about (1780, 1200, 420, 580) as displayed,
    stored sideways with an EXIF orientation tag when ``portrait``."""
    from PIL import Image

    page = np.full((3024, 4032), 225, np.uint8)
    cv2.polylines(page, [np.int32([[1800, 1220], [2180, 1220], [1960, 1760]])], False, 30, 40)
    page = cv2.GaussianBlur(page, (0, 0), 3)
    if not portrait:
        cv2.imwrite(str(tmp_path / "big.jpg"), page, [cv2.IMWRITE_JPEG_QUALITY, 90])
        return tmp_path / "big.jpg"
    exif = Image.Exif()
    exif[0x0112] = 8  # Orientation: rotate 90 degrees counter-clockwise to display
    Image.fromarray(np.ascontiguousarray(np.rot90(page, -1))).save(tmp_path / "big.jpg", exif=exif, quality=90)
    return tmp_path / "big.jpg"


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "stored sideways"])
def test_a_12_mp_photo_is_decoded_at_half_size_but_boxes_are_in_its_own_pixels(tmp_path, capsys, portrait):
    from edge.images import load_for_reading

    path = _big_photo(tmp_path, portrait)
    image, factor = load_for_reading(path, 2000)
    assert factor == 2 and image.shape[:2] == (1512, 2016)  # upright, as displayed
    code, out, _ = _run([path, "--json"], capsys)
    record = json.loads(out)
    assert code == 0 and record["text"] == "7", record
    x, y, w, h = record["digits"][0]["box"]
    assert abs(x - 1780) < 30 and abs(y - 1200) < 30 and 380 < w < 460 and 520 < h < 640, (x, y, w, h)
    code, out, _ = _run([path, "--json", "--roi", "1700,1100,700,800"], capsys)  # the roi is in its pixels too
    roi = json.loads(out)["digits"][0]["box"]
    assert abs(roi[0] - x) <= 4 and abs(roi[1] - y) <= 4, (roi, (x, y))


@pytest.mark.parametrize("stroke", [0, 255], ids=["black strokes", "white strokes"])
def test_a_drawing_on_a_transparent_canvas_is_read(tmp_path, capsys, stroke):
    # A drawing app's PNG export: the strokes are opaque, the canvas is transparent (its
    # colour channels are 0). The strokes' own colour says which ground they were drawn on.
    canvas = np.zeros((280, 280, 4), np.uint8)
    cv2.polylines(canvas, [np.int32([[70, 50], [210, 50], [120, 240]])], False, (stroke, stroke, stroke, 255), 18)
    cv2.imwrite(str(tmp_path / "canvas.png"), canvas)
    code, out, _ = _run([tmp_path / "canvas.png", "--json"], capsys)
    assert code == 0 and json.loads(out)["text"] == "7", out


def test_a_folder_reads_every_image_in_it(capsys):
    code, out, _ = _run([GOLDEN, "--json"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == len(list(GOLDEN.glob("*.png")))


def test_a_folder_without_images_is_an_error_not_silence(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("no pictures here\n")
    code, out, _ = _run([tmp_path, "--json"], capsys)
    record = json.loads(out)
    assert code == 1 and record["source"] == str(tmp_path) and record["error"].startswith("no images in folder")


def test_heic_photos_in_a_folder_are_named_not_skipped(tmp_path, capsys):
    # A folder of iPhone photos: the HEIC ones cannot be decoded here, and the user hears so.
    _digit_image(tmp_path)
    (tmp_path / "IMG_0001.HEIC").write_bytes(_bad_inputs(tmp_path / "bad")["photo.heic"])
    code, out, _ = _run([tmp_path, "--json"], capsys)
    heic, seven = (json.loads(line) for line in out.splitlines())
    assert code == 1 and seven["text"] == "7" and heic["error"].startswith("HEIC/AVIF photo"), out


def _bad_inputs(tmp_path):
    good = cv2.imencode(".jpg", np.full((100, 100, 3), 200, np.uint8))[1].tobytes()
    files = {
        "empty.png": b"",
        "text.png": b"this is not an image\n",
        "truncated.jpg": good[: len(good) // 3],
    }
    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    files["huge.png"] = b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 64
    files["photo.heic"] = struct.pack(">I", 24) + b"ftypheic" + b"\x00" * 4 + b"mif1heic" + b"\x00" * 64  # an iPhone's
    tmp_path.mkdir(exist_ok=True)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return files


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.png", "empty file"),
        ("text.png", "not an image"),
        ("truncated.jpg", None),  # OpenCV may recover part of a truncated JPEG: either a reading or an error
        ("huge.png", "image too large: .* is 20000x20000, the limit is 50,000,000 pixels"),
        ("missing.png", "no such file"),
        ("photo.heic", "HEIC/AVIF photo, which OpenCV cannot decode: .*photo.heic \\(save it as JPEG or PNG"),
    ],
)
def test_bad_input_gives_an_error_record_and_processing_goes_on(tmp_path, capsys, name, message):
    _bad_inputs(tmp_path)
    good = _digit_image(tmp_path)
    code, out, _ = _run([tmp_path / name, good, "--json"], capsys)
    first, second = (json.loads(line) for line in out.splitlines())
    assert second["text"] == "7"  # the good file after the bad one is still read
    if message is None:
        assert ("error" in first) == (code == 1)
        return
    assert code == 1 and first["source"].endswith(name)
    import re

    assert re.search(message, first["error"]), first["error"]


def test_one_pixel_image_reads_as_nothing(tmp_path, capsys):
    cv2.imwrite(str(tmp_path / "dot.png"), np.zeros((1, 1), np.uint8))
    code, out, _ = _run([tmp_path / "dot.png", "--json"], capsys)
    assert code == 0 and json.loads(out)["text"] == ""


def test_blank_page_says_no_digits_in_text_mode(tmp_path, capsys):
    cv2.imwrite(str(tmp_path / "blank.png"), np.full((240, 320), 230, np.uint8))
    code, out, _ = _run([tmp_path / "blank.png"], capsys)
    assert code == 0 and out == f"{tmp_path / 'blank.png'}: (no digits)\n"


def test_missing_model_is_a_usage_error(tmp_path, capsys):
    code, out, err = _run([_digit_image(tmp_path), "--model", tmp_path / "none.tflite"], capsys)
    assert code == 2 and out == "" and err == f"error: {tmp_path / 'none.tflite'}: model not found\n"


def test_corrupt_model_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "bad.tflite").write_bytes(b"\x00" * 4096)
    code, _, err = _run([_digit_image(tmp_path), "--model", tmp_path / "bad.tflite"], capsys)
    assert code == 2 and "bad.tflite: not a valid TFLite model" in err


def test_unknown_option_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        edge_main(["read", str(_digit_image(tmp_path)), "--no-such-option"])
    assert exit_info.value.code == 2


def test_roi_reads_only_that_region(tmp_path, capsys):
    path = _digit_image(tmp_path)
    _, out_in, _ = _run([path, "--json", "--roi", "100,40,140,180"], capsys)
    _, out_out, _ = _run([path, "--json", "--roi", "0,0,100,100"], capsys)
    inside = json.loads(out_in)
    assert inside["text"] == "7" and inside["digits"][0]["box"][0] >= 100  # boxes stay in frame coordinates
    assert json.loads(out_out)["text"] == ""


def test_debug_dir_holds_the_boxes_and_the_crops(tmp_path, capsys):
    path = _digit_image(tmp_path)
    _run([path, "--debug-dir", tmp_path / "debug"], capsys)
    boxes = cv2.imread(str(tmp_path / "debug" / "seven.boxes.png"))
    crops = cv2.imread(str(tmp_path / "debug" / "seven.crops.png"), cv2.IMREAD_GRAYSCALE)
    assert boxes.shape == (240, 320, 3) and (boxes[:, :, 1] > boxes[:, :, 2] + 60).any()  # a green box drawn
    assert crops.shape == (112, 120) and crops.max() == 255


def test_debug_pictures_of_inputs_with_one_name_do_not_overwrite_each_other(tmp_path, capsys):
    # a.png and a.jpg in one folder, and a.png in another: three inputs, three pairs of pictures
    (tmp_path / "day2").mkdir()
    paths = [_digit_image(tmp_path, "a.png"), _digit_image(tmp_path / "day2", "a.png")]
    blank = np.full((240, 320), 235, np.uint8)
    cv2.imwrite(str(tmp_path / "a.jpg"), blank)
    _run([*paths, tmp_path / "a.jpg", "--debug-dir", tmp_path / "debug"], capsys)
    names = sorted(p.name for p in (tmp_path / "debug").iterdir())
    assert names == sorted(f"{n}.{kind}.png" for n in ("a", "a-2", "a-3") for kind in ("boxes", "crops"))
    last = cv2.imread(str(tmp_path / "debug" / "a-3.boxes.png")).astype(int)
    assert not (last[:, :, 1] > last[:, :, 2] + 60).any()  # the blank page's picture, no box drawn over it


def test_help_shows_real_defaults_only(capsys):
    with pytest.raises(SystemExit) as done:
        edge_main(["read", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "(default: 0.5)" in out and "--num-threads N" in out
    assert "(default: None)" not in out and "(default: False)" not in out


def test_a_12_megapixel_photo_is_read_with_boxes_in_its_own_pixels(tmp_path, capsys):
    page = np.full((3000, 4000), 235, np.uint8)  # read shrunk to 2000 px, reported in these pixels
    cv2.polylines(page, [np.int32([[1500, 1200], [1900, 1200], [1650, 1850]])], False, 20, 40)
    cv2.imwrite(str(tmp_path / "big.png"), page)
    code, out, _ = _run([tmp_path / "big.png", "--json"], capsys)
    record = json.loads(out)
    assert code == 0 and record["text"] == "7", record
    x, y, w, h = record["digits"][0]["box"]
    assert abs(x - 1480) < 15 and abs(y - 1180) < 15 and abs(x + w - 1920) < 15 and abs(y + h - 1870) < 15
