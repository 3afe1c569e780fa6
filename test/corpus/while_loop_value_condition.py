# gradlens: fn=halve_until_small
# exercises: while loop whose condition reads array values (np.max(np.abs(h)))
import numpy as np


def halve_until_small(x, threshold):
    """The trip count depends on the values; inputs stay far from the point where it would change."""
    h = x * 1.0
    count = 0
    while np.max(np.abs(h)) > threshold:
        h = h * 0.5
        count += 1
    return np.sum(h ** 3) + count
