# gradlens: fn=strided_slices
# exercises: slices with steps, [::-1], negative bounds, x[-1], x[2, -1]
import numpy as np


def strided_slices(x):
    """Slices with steps, a negative step, negative bounds, and a negative integer index."""
    even_cols = x[:, ::2]
    rev_rows = x[::-1]
    tail = x[-2:, -3:]
    mid = x[1:3, 1:-1]
    last = x[-1]
    elem = x[2, -1]
    return np.sum(even_cols * rev_rows[:, 1::2]) + np.sum(tail ** 2) + np.sum(mid) * elem + np.sum(last * x[0])
