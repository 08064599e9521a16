"""The parity gate: the int8 model must read the test set as the Keras model does.

Figures come from the edge runtime's own classifier (what ships), on the whole test set.
"""

from dataclasses import asdict, dataclass

import numpy as np

TOLERANCE_PP = 0.1  # max |int8 - Keras| test accuracy, percentage points
MIN_AGREEMENT = 0.997  # min fraction of test images where int8 and Keras pick the same digit


@dataclass(frozen=True)
class ParityReport:
    keras_accuracy: float
    float32_accuracy: float  # the float TFLite twin
    int8_accuracy: float
    agreement: float  # int8 argmax == Keras argmax, fraction of the test set
    disagreements: int
    per_class_int8: list  # accuracy of the int8 model on each digit 0-9
    images: int

    @property
    def delta_pp(self) -> float:
        return abs(self.int8_accuracy - self.keras_accuracy) * 100

    def failures(self, tolerance_pp: float = TOLERANCE_PP, min_agreement: float = MIN_AGREEMENT) -> list:
        """Why the gate fails, as sentences with the figures; empty when it passes."""
        problems = []
        if self.delta_pp > tolerance_pp:
            problems.append(
                f"int8 accuracy {self.int8_accuracy:.2%} vs Keras {self.keras_accuracy:.2%}: "
                f"{self.delta_pp:.2f} pp apart (allowed {tolerance_pp} pp)"
            )
        if self.agreement < min_agreement:
            problems.append(
                f"int8 and Keras agree on {self.agreement:.2%} of {self.images} test images "
                f"(required {min_agreement:.2%}; {self.disagreements} disagree)"
            )
        return problems

    def as_dict(self) -> dict:
        return {**asdict(self), "delta_pp": round(self.delta_pp, 4)}


def measure_parity(labels, keras_probs, float32_probs, int8_probs) -> ParityReport:
    """Compare three (N, 10) probability arrays against the labels."""
    keras_pred, int8_pred = keras_probs.argmax(1), int8_probs.argmax(1)
    per_class = [float(np.mean(int8_pred[labels == d] == d)) for d in range(10)]
    return ParityReport(
        keras_accuracy=float(np.mean(keras_pred == labels)),
        float32_accuracy=float(np.mean(float32_probs.argmax(1) == labels)),
        int8_accuracy=float(np.mean(int8_pred == labels)),
        agreement=float(np.mean(int8_pred == keras_pred)),
        disagreements=int(np.sum(int8_pred != keras_pred)),
        per_class_int8=[round(a, 6) for a in per_class],
        images=len(labels),
    )


def confusion_matrix(labels, predictions, classes: int = 10) -> np.ndarray:
    """(classes, classes) counts: rows are true digits, columns predicted."""
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix
