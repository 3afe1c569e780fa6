# gradlens: fn=scalar_with_array
# exercises: Python numbers on either side of array ops, x ** s, 3 ** x
import numpy as np


def scalar_with_array(x, s):
    """Python numbers on either side of an array op, and array ** float, number ** array."""
    y = 2.0 - x
    z = 1.0 / (x + 3.0)
    w = s * x ** 3
    v = s / (x * x + 1)
    u = 3 ** (x * 0.5)
    t = x ** s
    return np.sum(y * z + w - v + u + t)
