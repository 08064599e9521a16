"""parity.png: the int8 model's confusion matrix beside the test digits where int8 and Keras disagree."""

import matplotlib

matplotlib.use("Agg")  # files only; never needs a display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from convert.parity import confusion_matrix  # noqa: E402
from train.files import atomic_path  # noqa: E402

MOSAIC_MAX = 48  # disagreeing digits shown at most


def plot_parity(path, images, labels, keras_pred, int8_pred, title: str) -> None:
    fig = plt.figure(figsize=(13, 6))
    grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.25))
    _confusion(fig.add_subplot(grid[0]), confusion_matrix(labels, int8_pred))
    _mosaic(fig, grid[1], images, labels, keras_pred, int8_pred)
    fig.suptitle(f"{title}\nleft: int8 confusion matrix; right: test digits where int8 and Keras disagree "
                 f"(true digit: K = Keras, q = int8)")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=90, bbox_inches="tight")
    plt.close(fig)


def _confusion(ax, matrix: np.ndarray) -> None:
    errors = matrix.copy()
    np.fill_diagonal(errors, 0)
    ax.imshow(np.log1p(errors), cmap="Reds")  # colour the mistakes, not the (huge) diagonal
    for (row, col), n in np.ndenumerate(matrix):
        if n:
            ax.text(col, row, str(n), ha="center", va="center", fontsize=7, color="black" if row != col else "green")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("int8 prediction")
    ax.set_ylabel("true digit")
    ax.set_title("int8 confusion matrix (test set)")


def _mosaic(fig, cell, images, labels, keras_pred, int8_pred) -> None:
    idx = np.flatnonzero(keras_pred != int8_pred)[:MOSAIC_MAX]
    if len(idx) == 0:
        ax = fig.add_subplot(cell)
        ax.text(0.5, 0.5, "int8 and Keras agree on every test image", ha="center", va="center")
        ax.axis("off")
        return
    cols = 8
    rows = max(int(np.ceil(len(idx) / cols)), MOSAIC_MAX // cols)  # fixed cell size
    sub = cell.subgridspec(rows, cols, hspace=0.6)
    for k, i in enumerate(idx):
        ax = fig.add_subplot(sub[k // cols, k % cols])
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(f"{labels[i]}: K{keras_pred[i]} q{int8_pred[i]}", fontsize=7)
        ax.axis("off")
