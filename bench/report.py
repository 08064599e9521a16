"""bench.json -> report.md and latency.png, for someone deciding whether to deploy."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from edge.reader import FINE_ENOUGH, HALF_FROM  # noqa: E402
from train.files import atomic_path  # noqa: E402


def plot_latency(latency: dict, path) -> None:
    names = sorted(latency, key=lambda k: latency[k]["median"])
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))
    ax.barh(names, [latency[n]["median"] for n in names], color=["#2a7" if "int8" in n else "#888" for n in names])
    for i, n in enumerate(names):
        ax.text(latency[n]["median"] * 1.1, i, f"{latency[n]['median']:,.0f} us", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("median time to classify one digit, microseconds (log scale)")
    ax.set_title("Per-digit latency, batch 1")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=100)
    plt.close(fig)


def markdown(b: dict) -> str:
    lat, st, r = b["latency_us"], b["startup"], b["ratios"]
    rows = "\n".join(f"| {name} | {v['median']:,.1f} | {v['p99']:,.1f} |" for name, v in
                     sorted(lat.items(), key=lambda kv: kv[1]["median"]))
    stages = " | ".join(f"{k} {v['median']:.2f}" for k, v in b["frame_ms"].items() if k != "reading")
    generated = f", generated frames: {b['fps']['generated']:.0f} fps" if b["fps"].get("generated") else ""
    ratio_rows = "\n".join(f"| {k} | {v}x |" for k, v in r.items())
    sizes = b["sizes_bytes"]
    acc = b["accuracy"]
    return f"""# mnist-edge benchmark

{b['machine']['cpu']}, {b['machine']['cores']} cores, {b['date']}{' (QUICK run: fewer calls)' if b['quick'] else ''}

## Model
| model | bytes | MNIST test accuracy |
|---|---|---|
| Keras `.keras` | {sizes.get('keras', 0):,} | {acc.get('keras', 0):.2%} |
| float32 TFLite | {sizes['float32']:,} | {acc['float32']:.2%} |
| int8 TFLite | {sizes['int8']:,} | {acc['int8']:.2%} (agrees with Keras on {acc.get('agreement', 0):.2%}) |

Parameters: {b['parameters']:,}.

## Per-digit latency, batch 1 (microseconds)
| engine | median | p99 |
|---|---|---|
{rows}

Batched int8: {b['throughput']['digits_per_s']:,} digits/s at batch {b['throughput']['batch']}.

## Frame pipeline, 640x480, cv2.setNumThreads(1) (ms, median)
Frame to reading (`read_frame`, the whole pipeline): {b['frame_ms']['reading']['median']:.2f} ms, the median
over the frames of each one's best time in {b.get('frame_passes', 1)} passes through the set (the median of
every time measured: {b['frame_ms']['reading'].get('every_pass', float('nan')):.2f} ms; other processes on
the machine take time from a pass at random).

Its main stages on the frame at full size, timed apart (their total leaves out the reader's steps
between them: strokes joined, touching digits split, reading order, a line's consensus; and
`read_frame` searches a frame of {HALF_FROM} px or more at half size first, and reads it there when
every mark found is {FINE_ENOUGH} px tall): {stages}

{b['fps']['frames']:.0f} fps (demo video frames: {b['fps']['demo']:.0f} fps{generated}).

## Start-up: a fresh process reading one image
| | wall time to first reading | peak RSS |
|---|---|---|
| edge runtime + int8 | {st['edge_s']:.2f} s | {st['edge_rss_mb']:.0f} MB |
| TensorFlow/Keras + .keras | {st.get('tf_s', float('nan')):.2f} s | {st.get('tf_rss_mb', float('nan')):.0f} MB |

## Ratios
| ratio | value |
|---|---|
{ratio_rows}

![latency](latency.png)
"""
