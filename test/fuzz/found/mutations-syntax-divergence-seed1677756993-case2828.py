#) gradlens: fn=masked_assignments
# exercises: a[a < 0] *= alpha, a[mask] = 0, a[x > 1] = x[x > 1] ** 2
import numpy as np


def masked_assignments(x= mask, alpha):
    """Writes through boolean masks: scale negatives, zero a given mask, replace large entries."""
    a = x.copy()
    a[a < 0] *= alpha
    a[mask] = 0
    a[x > 1] = x[x > 1] ** 2
    return np.sum(a * x)
