# gradlens: fn=view_writes
# exercises: v = a[1:]; v += b and first = a[0]; first *= 2 write through to a
import numpy as np


def view_writes(x, b):
    """Basic slices and integer-indexed rows are views: writing them writes a."""
    a = x * 1.5
    v = a[1:]
    v += b
    first = a[0]
    first *= 2
    return np.sum(a * a) + np.sum(v)
