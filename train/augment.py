"""On-the-fly MNIST augmentation for the ``best`` recipe, batched in the tf.data graph.

Affine (rotation, scale, shear, shift) and elastic distortion (Simard et al. 2003) are
folded into one displacement field and sampled once, so a digit is blurred by one
bilinear resampling, not two; a whole batch is one gather. Stroke thickness jitter
(grey dilation/erosion) imitates thin pens and thick markers, and
low-resolution resampling imitates digits only a few pixels tall in a camera frame. Random numbers come
from stateless ops seeded per batch, so a run is reproducible from its seed.
"""

import math

import tensorflow as tf

from edge.spec import SIDE
from train.recipes import AugmentConfig


def _gaussian_matrix(sigma: float) -> tf.Tensor:
    """(28, 28) matrix G so that G @ f @ G.T is f blurred by a Gaussian (zero outside)."""
    t = tf.range(SIDE, dtype=tf.float32)
    return tf.exp(-0.5 * ((t[:, None] - t[None, :]) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def _elastic_field(seed, batch: int, cfg: AugmentConfig) -> tf.Tensor:
    """(B, 28, 28, 2) smoothed uniform noise times alpha: the Simard displacement.

    The blur is two small matrix products rather than a convolution: same result
    with zero padding, and several times faster on a CPU.
    """
    noise = tf.random.stateless_uniform((2, batch, SIDE, SIDE), seed, -1.0, 1.0)
    g = _gaussian_matrix(cfg.elastic_sigma)
    smooth = tf.einsum("ij,cbjk,lk->bilc", g, noise, g)
    return cfg.elastic_alpha * smooth


def _affine_coords(seed, batch: int, cfg: AugmentConfig) -> tf.Tensor:
    """(B, 28, 28, 2) source (y, x) of each output pixel under a random affine map about the centre."""
    u = tf.random.stateless_uniform((batch, 6), seed, -1.0, 1.0)
    angle = u[:, 0] * cfg.rotation_deg * math.pi / 180.0
    zoom = 1.0 + u[:, 1] * cfg.scale
    zoom_x = zoom * (1.0 + u[:, 2] * cfg.aspect)
    shear = u[:, 3] * cfg.shear
    shift = u[:, 4:6] * cfg.shift_px
    cos, sin = tf.cos(angle), tf.sin(angle)
    # Inverse map output -> source: rotate, shear, then divide by zoom.
    a = (cos - shear * sin) / zoom_x
    b = (sin + shear * cos) / zoom_x
    c, d = -sin / zoom, cos / zoom
    centre = (SIDE - 1) / 2.0
    grid = tf.range(SIDE, dtype=tf.float32) - centre
    yy, xx = tf.meshgrid(grid, grid, indexing="ij")
    x_src = a[:, None, None] * xx + b[:, None, None] * yy - shift[:, 1, None, None]
    y_src = c[:, None, None] * xx + d[:, None, None] * yy - shift[:, 0, None, None]
    return tf.stack([y_src + centre, x_src + centre], axis=-1)


def _bilinear(images: tf.Tensor, coords: tf.Tensor) -> tf.Tensor:
    """Sample (B, 28, 28) images at (B, 28, 28, 2) coords; outside the image is background."""
    batch = tf.shape(images)[0]
    padded = tf.pad(images, [[0, 0], [1, 1], [1, 1]])  # zero border for out-of-range corners
    side = SIDE + 2
    coords = tf.clip_by_value(coords + 1.0, 0.0, side - 1.001)
    base = tf.floor(coords)
    frac = coords - base
    base = tf.cast(base, tf.int32)
    flat = tf.reshape(padded, [-1])
    offset = tf.reshape(tf.range(batch) * side * side, (-1, 1, 1))
    out = 0.0
    for dy in (0, 1):
        for dx in (0, 1):
            idx = offset + (base[..., 0] + dy) * side + base[..., 1] + dx
            wy = frac[..., 0] if dy else 1.0 - frac[..., 0]
            wx = frac[..., 1] if dx else 1.0 - frac[..., 1]
            out += wy * wx * tf.gather(flat, idx)
    return out


def _max3x3(images: tf.Tensor) -> tf.Tensor:
    """(B, 28, 28) grey dilation by a 3x3 square, as two 3-tap maxima (max_pool2d is slow here)."""
    p = tf.pad(images, [[0, 0], [1, 1], [1, 1]])
    rows = tf.maximum(tf.maximum(p[:, :-2], p[:, 1:-1]), p[:, 2:])
    return tf.maximum(tf.maximum(rows[:, :, :-2], rows[:, :, 1:-1]), rows[:, :, 2:])


def _thickness(seed, images: tf.Tensor, cfg: AugmentConfig) -> tf.Tensor:
    """Blend some digits towards a grey dilation (thicker) or erosion (thinner)."""
    batch = tf.shape(images)[0]
    u = tf.random.stateless_uniform((batch, 2), seed)
    thicker = (u[:, 0] < 0.5)[:, None, None]
    target = tf.where(thicker, _max3x3(images), -_max3x3(-images))
    apply = tf.cast(u[:, 1] < cfg.thickness_prob, tf.float32)
    strength = apply * cfg.thickness_max * u[:, 1] / max(cfg.thickness_prob, 1e-6)
    return images + strength[:, None, None] * (target - images)


def _low_resolution(seed, images: tf.Tensor, cfg: AugmentConfig) -> tf.Tensor:
    """Shrink some digits to a few pixels and scale them back: a digit 10 px tall in a camera
    frame reaches the model blurred like this, after the edge reader's normalisation."""
    batch = tf.shape(images)[0]
    u = tf.random.stateless_uniform((batch,), seed)
    side = tf.random.stateless_uniform((), seed + 1, cfg.lowres_min, SIDE - 6, dtype=tf.int32)
    small = tf.image.resize(images[..., None], tf.stack([side, side]), method="area", antialias=True)
    blurred = tf.image.resize(small, (SIDE, SIDE), method="bilinear")[..., 0]
    return tf.where((u < cfg.lowres_prob)[:, None, None], blurred, images)


def augment_batch(images: tf.Tensor, seed: tf.Tensor, cfg: AugmentConfig = AugmentConfig()) -> tf.Tensor:
    """(B, 28, 28) float in [0, 1] -> (B, 28, 28) float in [0, 1], same digits, new shapes."""
    seeds = tf.random.experimental.stateless_split(seed, 4)
    batch = tf.shape(images)[0]
    coords = _affine_coords(seeds[0], batch, cfg) + _elastic_field(seeds[1], batch, cfg)
    warped = _bilinear(images, coords)
    thick = _thickness(seeds[2], warped, cfg)
    return tf.clip_by_value(_low_resolution(seeds[3], thick, cfg), 0.0, 1.0)
