# gradlens: fn=tuple_unpacking
# exercises: N, D = x.shape, a pair from a helper, swap a, b = b, a * w, nested target
import numpy as np


def scale_and_shift(x):
    return x * 2.0, x - 1.0


def tuple_unpacking(x, w):
    """Shape unpacking, a helper returning a pair, a swap, and a nested target."""
    N, D = x.shape
    a, b = scale_and_shift(x)
    a, b = b, a * w
    (p, q), r = (a, b), N * D
    return np.sum(p * q) / r
