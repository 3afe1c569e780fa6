# gradlens: fn=cosine_distance
# exercises: math.sqrt of a NumPy scalar next to np.sqrt, division of scalars
import math

import numpy as np


def cosine_distance(u, v):
    """math.sqrt applied to a NumPy scalar, next to np.sqrt."""
    dot = np.sum(u * v)
    norm_u = math.sqrt(np.sum(u * u))
    norm_v = np.sqrt(np.sum(v ** 2))
    return 1.0 - dot / (norm_u * norm_v)
