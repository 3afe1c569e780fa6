# gradlens: fn=transpose_view_write
# exercises: t = a.T is a view: t[0] += w writes a column of a
import numpy as np


def transpose_view_write(x, w):
    """x.T is a view in NumPy: writing a row of the transpose writes a column of a."""
    a = x * 2.0
    t = a.T
    t[0] += w
    t[1:3, 1] = 0.5 * w[1]
    return np.sum(a ** 2) + np.sum(t[3])
