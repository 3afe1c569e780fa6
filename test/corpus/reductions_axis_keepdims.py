# gradlens: fn=reductions
# exercises: np.max/min/sum/mean over all, axis 0/1/-1, keepdims
import numpy as np


def reductions(x):
    """max/min/sum/mean over all, over each axis, with keepdims and a negative axis."""
    a = np.max(x, axis=1, keepdims=True)
    b = np.min(x, axis=0)
    c = np.sum(x, axis=1)
    d = np.mean(x, axis=0, keepdims=True)
    e = np.max(x)
    f = np.min(x, axis=-1)
    g = np.sum(x, axis=0, keepdims=True)
    return np.sum(a * c[:, None]) + np.sum(b * d) + e * np.sum(f) + np.mean(x) * np.sum(g ** 2)
