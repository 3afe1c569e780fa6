# gradlens: fn=positive_part_energy
# exercises: h[h > 0] and h[h < 0] select 1-D arrays, len() of the result
import numpy as np


def positive_part_energy(x, w):
    """Boolean masks select the positive and negative entries into 1-D arrays."""
    h = x.dot(w)
    pos = h[h > 0]
    neg = h[h < 0]
    return np.sum(pos ** 2) - 0.5 * np.sum(neg) + len(pos)
