# gradlens: fn=masked_where
# exercises: np.where with a bool input mask and a scalar branch
import numpy as np


def masked_where(x, mask, scale):
    """A boolean input chooses between two branches with np.where; the scalar branch broadcasts."""
    a = np.where(mask, x * scale, -x)
    b = np.where(mask, 0.0, x ** 2)
    return np.sum(a * a) + np.sum(b)
