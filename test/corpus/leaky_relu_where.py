# gradlens: fn=leaky_relu_where
# exercises: leaky ReLU with np.where(h > 0, h, alpha * h)
import numpy as np


def leaky_relu_where(x, w, alpha):
    h = x.dot(w)
    out = np.where(h > 0, h, alpha * h)
    return np.sum(out * out)
