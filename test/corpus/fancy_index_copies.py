# gradlens: fn=fancy_index_copies
# exercises: x[rows], a[rows, 1:], a[[0, 2], [1, 1]] copy: writes to them leave the source alone
import numpy as np


def fancy_index_copies(x, rows):
    """Integer-array and list indexing copy: writing the result leaves the source alone."""
    picked = x[rows]
    picked *= 10.0
    a = x * 1.0
    b = a[rows, 1:]
    b += 100.0
    c = a[[0, 2], [1, 1]]
    c -= 5.0
    return np.sum(picked) + np.sum(a ** 2) + np.sum(b * x[0, 1:]) + np.sum(c ** 2)
