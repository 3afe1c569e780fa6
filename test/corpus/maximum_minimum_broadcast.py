# gradlens: fn=max_min_mix
# exercises: np.maximum/np.minimum between arrays, broadcast rows, Python floats
import numpy as np


def max_min_mix(x, y, c):
    """Elementwise maximum/minimum of arrays, broadcast rows and Python floats."""
    a = np.maximum(x, y)
    b = np.minimum(a, c)
    m = np.maximum(0.2, x)
    return np.sum(a * b) + np.sum(np.minimum(m, y[None, :] * 2))
