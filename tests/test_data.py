"""MNIST loading: .npz and IDX files, and one clear error for every bad file."""

import gzip
import struct

import numpy as np
import pytest

from train.__main__ import main as train_main
from train.data import DatasetError, load_mnist, validation_split


def _arrays(n_train=12, n_test=6, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test).astype(np.uint8),
    }


def _write_idx(path, array, gz=False):
    header = struct.pack(f">I{array.ndim}I", 0x800 + array.ndim, *array.shape)
    data = header + array.astype(np.uint8).tobytes()
    (gzip.open if gz else open)(path, "wb").write(data)


def _idx_folder(tmp_path, arrays, gz=False):
    suffix = ".gz" if gz else ""
    _write_idx(tmp_path / f"train-images-idx3-ubyte{suffix}", arrays["x_train"], gz)
    _write_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}", arrays["y_train"], gz)
    _write_idx(tmp_path / f"t10k-images-idx3-ubyte{suffix}", arrays["x_test"], gz)
    _write_idx(tmp_path / f"t10k-labels-idx1-ubyte{suffix}", arrays["y_test"], gz)
    return tmp_path


def test_npz_loads_arrays_unchanged(tmp_path):
    arrays = _arrays()
    np.savez(tmp_path / "m.npz", **arrays)
    data = load_mnist(tmp_path / "m.npz")
    np.testing.assert_array_equal(data.train.x, arrays["x_train"])
    np.testing.assert_array_equal(data.test.y, arrays["y_test"])
    assert len(data.sha256) == 64


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_loads_same_arrays_as_npz(tmp_path, gz):
    arrays = _arrays()
    data = load_mnist(_idx_folder(tmp_path, arrays, gz))
    np.testing.assert_array_equal(data.train.x, arrays["x_train"])
    np.testing.assert_array_equal(data.train.y, arrays["y_train"])
    np.testing.assert_array_equal(data.test.x, arrays["x_test"])


def test_env_var_is_used_when_no_path_given(tmp_path, monkeypatch):
    np.savez(tmp_path / "m.npz", **_arrays(n_train=7))
    monkeypatch.setenv("MNIST_NPZ", str(tmp_path / "m.npz"))
    assert len(load_mnist().train.x) == 7


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(DatasetError, match=r"nope\.npz: no such file or directory"):
        load_mnist(tmp_path / "nope.npz")


def test_truncated_npz_is_reported(tmp_path):
    np.savez(tmp_path / "m.npz", **_arrays())
    raw = (tmp_path / "m.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DatasetError, match=r"cut\.npz: unreadable or truncated \.npz"):
        load_mnist(tmp_path / "cut.npz")


def test_npz_without_mnist_keys_is_reported(tmp_path):
    np.savez(tmp_path / "other.npz", a=np.zeros(3))
    with pytest.raises(DatasetError, match=r"not a keras MNIST \.npz \(missing x_train, y_train, x_test, y_test\)"):
        load_mnist(tmp_path / "other.npz")


def test_wrong_image_shape_is_reported(tmp_path):
    arrays = _arrays()
    arrays["x_train"] = np.zeros((12, 32, 32), np.uint8)
    np.savez(tmp_path / "m.npz", **arrays)
    with pytest.raises(DatasetError, match=r"train images have shape \(12, 32, 32\), expected \(N, 28, 28\)"):
        load_mnist(tmp_path / "m.npz")


def test_labels_out_of_range_are_reported(tmp_path):
    arrays = _arrays()
    arrays["y_test"][0] = 11
    np.savez(tmp_path / "m.npz", **arrays)
    with pytest.raises(DatasetError, match=r"test labels must be integers 0-9 \(found \d+\.\.11\)"):
        load_mnist(tmp_path / "m.npz")


def test_label_count_mismatch_is_reported(tmp_path):
    arrays = _arrays()
    arrays["y_train"] = arrays["y_train"][:5]
    np.savez(tmp_path / "m.npz", **arrays)
    with pytest.raises(DatasetError, match=r"train labels have shape \(5,\), expected \(12,\)"):
        load_mnist(tmp_path / "m.npz")


def test_truncated_idx_file_is_reported(tmp_path):
    folder = _idx_folder(tmp_path, _arrays())
    raw = (folder / "t10k-images-idx3-ubyte").read_bytes()
    (folder / "t10k-images-idx3-ubyte").write_bytes(raw[:-100])
    with pytest.raises(DatasetError, match=r"t10k-images-idx3-ubyte: truncated IDX data"):
        load_mnist(folder)


def test_idx_folder_missing_a_file_is_reported(tmp_path):
    folder = _idx_folder(tmp_path, _arrays())
    (folder / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(DatasetError, match=r"train-labels-idx1-ubyte: no such file \(nor \.gz\)"):
        load_mnist(folder)


def test_validation_split_holds_out_the_last_images():
    data_x = np.arange(10 * 28 * 28, dtype=np.uint32).reshape(10, 28, 28).astype(np.uint8)
    from train.data import Split

    train, val = validation_split(Split(data_x, np.arange(10, dtype=np.uint8)), 3)
    assert list(val.y) == [7, 8, 9] and list(train.y) == list(range(7))


def test_cli_reports_bad_data_in_one_line_with_exit_2(tmp_path, capsys):
    (tmp_path / "bad.npz").write_text("not a zip")
    assert train_main(["--recipe", "notebook", "--data", str(tmp_path / "bad.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "bad.npz" in err
