# gradlens: fn=dropout_forward
# exercises: inverted dropout with a bool keep-mask input, Python float p
import numpy as np


def dropout_forward(x, w, mask, p):
    """Inverted dropout in training mode with a fixed keep-mask given as input."""
    h = np.maximum(0, x.dot(w))
    out = h * mask / p
    return np.sum(out ** 2)
