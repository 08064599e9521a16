"""The 28x28 input contract shared by training, conversion and the device.

One place says what a digit image is, so that the Keras model, the int8 model and
the edge reader are fed the same thing:

- 28x28 pixels, white ink (255) on black (0), the digit scaled so its longer side is
  20 px and centred by mass in the 28x28 box, as MNIST was made;
- the model's float input is ``pixels / 255`` flattened to 784 values in [0, 1];
  the /255 lives here, not in the model, exactly as in the original notebook.
"""

import numpy as np

SIDE = 28  # pixels, MNIST image side
BOX = 20  # pixels, MNIST fits the digit's longer side into this box
FEATURES = SIDE * SIDE  # 784 model inputs
CLASSES = 10
PIXEL_SCALE = 1.0 / 255.0  # uint8 pixel -> model float in [0, 1]


def to_model_input(pixels: np.ndarray) -> np.ndarray:
    """(N, 28, 28) or (N, 784) uint8 -> (N, 784) float32 in [0, 1]."""
    pixels = np.asarray(pixels)
    return pixels.reshape(len(pixels), FEATURES).astype(np.float32) * np.float32(PIXEL_SCALE)
