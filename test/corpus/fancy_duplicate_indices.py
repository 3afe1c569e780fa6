# gradlens: fn=repeated_index_update
# exercises: a[idx] += v with a repeated index (last write wins), gather with repeats
import numpy as np


def repeated_index_update(x, idx, v):
    """a[idx] += v with a repeated index writes once (the last one), it does not accumulate; a gather does."""
    a = x.copy()
    a[idx] += v
    g = x[idx]
    return np.sum(a ** 2) + np.sum(g * v)
