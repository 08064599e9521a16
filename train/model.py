"""The notebook's MLP: 784-512-256-128-64-10, 575,050 parameters.

    python -c "from train.model import build_mlp; build_mlp().summary()"

Input is the flattened 28x28 image scaled to [0, 1] (``edge.spec.to_model_input``);
the /255 lives there, not in the model, as in the notebook. Dropout, when asked for,
adds no parameters and disappears at inference, so every recipe ships the same model.
"""

import keras

from edge.spec import CLASSES, FEATURES

HIDDEN = (512, 256, 128, 64)  # the notebook's layer widths
PARAMETERS = 575_050  # what model.summary() printed in the notebook


def build_mlp(dropout: float = 0.0, dropout_layers: int = 2) -> keras.Model:
    """Dense relu stack; ``dropout`` follows the first ``dropout_layers`` hidden layers."""
    inputs = keras.Input(shape=(FEATURES,), name="pixels")
    x = inputs
    for i, width in enumerate(HIDDEN):
        x = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(x)
        if dropout > 0 and i < dropout_layers:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    outputs = keras.layers.Dense(CLASSES, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="mnist_mlp")
