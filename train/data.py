"""MNIST loading, in one place: a keras-layout .npz, the four IDX files, or the Keras download.

    python -c "from train.data import load_mnist; print(load_mnist('../shared/data/mnist.npz').train.x.shape)"

Every problem with a file is a ``DatasetError`` whose message names the file and what
is wrong, so the CLIs can print one line and exit 2 instead of a traceback.
"""

import gzip
import hashlib
import os
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENV_VAR = "MNIST_NPZ"  # a local .npz or IDX folder, used when --data is not given
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")
IDX_NAMES = {  # split -> (images stem, labels stem); files may end in .gz
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
IDX_MAGIC = {3: 0x00000803, 1: 0x00000801}  # ndim -> magic number of a uint8 IDX file


class DatasetError(ValueError):
    """A dataset file that is missing, truncated or not MNIST-shaped."""


@dataclass(frozen=True)
class Split:
    x: np.ndarray  # (N, 28, 28) uint8, 0 = background, 255 = ink
    y: np.ndarray  # (N,) uint8 labels 0-9


@dataclass(frozen=True)
class Mnist:
    train: Split
    test: Split
    source: str  # the file or folder read, or "keras" for the download
    sha256: str  # of the .npz, or of the four IDX files in order


def load_mnist(path=None) -> Mnist:
    """Read MNIST from ``path``, else ``$MNIST_NPZ``, else the cached Keras download."""
    path = path or os.environ.get(ENV_VAR)
    if not path:
        return _load_keras()
    path = Path(path)
    if path.is_dir():
        return _load_idx_dir(path)
    if not path.exists():
        raise DatasetError(f"{path}: no such file or directory")
    if path.name.endswith(("-ubyte", "-ubyte.gz")):
        return _load_idx_dir(path.parent)
    return _load_npz(path)


def _load_npz(path: Path) -> Mnist:
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in NPZ_KEYS if k not in npz.files]
            if missing:
                raise DatasetError(f"{path}: not a keras MNIST .npz (missing {', '.join(missing)})")
            arrays = {k: npz[k] for k in NPZ_KEYS}
    except DatasetError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise DatasetError(f"{path}: unreadable or truncated .npz ({err})") from None
    train = _checked(path, "train", arrays["x_train"], arrays["y_train"])
    test = _checked(path, "test", arrays["x_test"], arrays["y_test"])
    return Mnist(train, test, str(path), sha256_of([path]))


def _load_idx_dir(folder: Path) -> Mnist:
    splits, files = {}, []
    for split, stems in IDX_NAMES.items():
        pair = [_find_idx(folder, stem) for stem in stems]
        files += pair
        images, labels = (_read_idx(f, ndim) for f, ndim in zip(pair, (3, 1)))
        splits[split] = _checked(folder, split, images, labels)
    return Mnist(splits["train"], splits["test"], str(folder), sha256_of(files))


def _find_idx(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise DatasetError(f"{folder / stem}: no such file (nor .gz); an IDX folder needs all four MNIST files")


def _read_idx(path: Path, ndim: int) -> np.ndarray:
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:
        raise DatasetError(f"{path}: unreadable or truncated ({err})") from None
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DatasetError(f"{path}: truncated IDX header ({len(raw)} bytes)")
    magic, *dims = struct.unpack(f">{1 + ndim}I", raw[:header])
    if magic != IDX_MAGIC[ndim]:
        raise DatasetError(f"{path}: not a uint8 IDX file with {ndim} dimension(s) (magic {magic:#010x})")
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise DatasetError(f"{path}: truncated IDX data ({len(raw)} bytes, header says {expected})")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(dims)


def _checked(source, split: str, x: np.ndarray, y: np.ndarray) -> Split:
    """Refuse anything that is not N images of 28x28 uint8 with N labels in 0-9."""
    if x.ndim != 3 or x.shape[1:] != (28, 28) or len(x) == 0:
        raise DatasetError(f"{source}: {split} images have shape {x.shape}, expected (N, 28, 28)")
    if x.dtype != np.uint8:
        raise DatasetError(f"{source}: {split} images are {x.dtype}, expected uint8 pixels 0-255")
    if y.shape != (len(x),):
        raise DatasetError(f"{source}: {split} labels have shape {y.shape}, expected ({len(x)},)")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9:
        raise DatasetError(f"{source}: {split} labels must be integers 0-9 (found {y.min()}..{y.max()})")
    return Split(x, y.astype(np.uint8))


def _load_keras() -> Mnist:
    try:
        import keras

        (xtr, ytr), (xte, yte) = keras.datasets.mnist.load_data()
    except Exception as err:  # network, proxy, corrupt cache: all end the same way for the user
        raise DatasetError(
            f"keras MNIST download failed ({type(err).__name__}: {err}); "
            f"pass --data PATH or set {ENV_VAR} to a local mnist.npz"
        ) from None
    npz = Path(os.environ.get("KERAS_HOME", "~/.keras")).expanduser() / "datasets" / "mnist.npz"
    digest = sha256_of([npz]) if npz.exists() else ""
    return Mnist(_checked("keras", "train", xtr, ytr), _checked("keras", "test", xte, yte), "keras", digest)


def sha256_of(paths) -> str:
    """One sha256 over the bytes of ``paths`` in order, so a report pins the exact data."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def validation_split(split: Split, size: int) -> tuple[Split, Split]:
    """Hold out the last ``size`` training images, the usual MNIST validation set."""
    if not 0 < size < len(split.x):
        raise DatasetError(f"validation size {size} must be between 1 and {len(split.x) - 1}")
    return Split(split.x[:-size], split.y[:-size]), Split(split.x[-size:], split.y[-size:])
