# gradlens: fn=nested_view_writes
# exercises: column view, view of a view, all written in place and read through a
import numpy as np


def nested_view_writes(x, s):
    """A column view, and a view of a view, both written in place; a is read after the writes."""
    a = np.tanh(x)
    col = a[:, 0]
    col -= s
    block = a[1:, 1:]
    inner = block[0]
    inner *= 3.0
    block[:, -1] = col[1:] * 2.0
    return np.sum(a ** 2) + np.sum(col)
