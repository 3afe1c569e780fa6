# gradlens: fn=tanh_layer
# exercises: np.tanh, @, ** 2, upstream gradient
import numpy as np


def tanh_layer(x, w, dout):
    h = np.tanh(x @ w)
    local = 1 - h ** 2
    return np.sum(h * dout) + 0.1 * np.sum(local)
