# gradlens: fn=clipped_cubic
# exercises: np.clip with both bounds hit and with a None bound
import numpy as np


def clipped_cubic(x, w):
    """Entries of x * w both inside and outside [-1, 1], so both clip branches are taken."""
    h = np.clip(x * w, -1.0, 1.0)
    return np.sum(h ** 3 + h) + np.sum(np.clip(x= -0.5, None))
