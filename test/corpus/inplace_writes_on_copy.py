# gradlens: fn=copy_then_write
# exercises: x.copy() and np.copy then a[0] = 0, a[:, 1] *= 2, a[1, 2] += w[0], block -=
import numpy as np


def copy_then_write(x, w):
    """Index writes into copies: a row set to 0, a column scaled, single elements and a block updated."""
    a = x.copy()
    a[0] = 0
    a[:, 1] *= 2
    a[1, 2] += w[0]
    a[2:, :2] -= w[1:3]
    b = np.copy(x)
    b[1] = w[2] * a[1]
    return np.sum(a * x) + np.sum(b ** 2)
