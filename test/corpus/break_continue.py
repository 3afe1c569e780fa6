# gradlens: fn=rows_until_limit
# exercises: continue on an int label, break on an index and on an accumulated value
import numpy as np


def rows_until_limit(x, y, limit):
    """continue on integer labels; break on an integer index and on an accumulated value."""
    total = 0.0
    for i in range(x.shape[0]):
        if y[i] == 0:
            continue
        if i >= 5:
            break
        total += np.sum(x[i] ** 2)
        if total > limit:
            break
    return total
