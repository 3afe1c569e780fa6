# gradlens: fn=augmented_updates
# exercises: +=, -=, *=, /=, **= on Python floats and on arrays
import numpy as np


def augmented_updates(x, y, s):
    """+=, -=, *=, /=, **= on Python floats and on arrays created inside the function."""
    total = 0.0
    total += s
    total *= 2.0
    total -= 0.5
    total /= 3.0
    h = x + y
    h += y
    h -= 0.5 * x
    h *= y
    h /= 2.0
    h **= 2
    return np.sum(h) + total * s
