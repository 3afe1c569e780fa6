# gradlens: fn=abs_square_sign
# exercises: np.abs, np.square, np.sign
import numpy as np


def abs_square_sign(x, w):
    h = x.dot(w)
    return np.sum(np.abs(h)) + np.sum(np.square(h)) + np.sum(np.sign(h) * h ** 3)
