# gradlens: fn=ravel_vs_flatten
# exercises: ravel and reshape are views (writes reach a), flatten copies
import numpy as np


def ravel_vs_flatten(x, w):
    """ravel and reshape of a contiguous array are views; flatten always copies."""
    a = x + 1.0
    r = a.ravel()
    r[0] *= w[0]
    f = a.flatten()
    f[1] = 100.0
    m = a.reshape(3, 2)
    m[2] -= w
    return np.sum(a * x) + np.sum(f) + np.sum(m)
