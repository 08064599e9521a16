"""Training curves as a picture: loss and accuracy per epoch, train vs validation."""

import matplotlib

matplotlib.use("Agg")  # files only; never needs a display
import matplotlib.pyplot as plt  # noqa: E402

from train.files import atomic_path  # noqa: E402


def plot_curves(history: dict, path, title: str = "") -> None:
    epochs = range(1, len(history.get("loss", [])) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, metric in zip(axes, ("loss", "accuracy")):
        ax.plot(epochs, history.get(metric, []), label="train (augmented; non-digits count as misses)")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    later = [v for key in ("accuracy", "val_accuracy") for v in history.get(key, [])[3:]]
    if later:  # zoom past the first epochs, where everything happens in the last percent
        axes[1].set_ylim(min(later) - 0.005, min(1.0, max(later) + 0.005))
    fig.suptitle(title)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=100)
    plt.close(fig)
