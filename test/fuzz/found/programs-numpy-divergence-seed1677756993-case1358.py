import math
import numpy as np


def f(x):
    v0 = x[np.array([0, 0, 0])]
    c1 = v0.copy()
    flat2 = c1[..., ::2].reshape(-1)
    flat2[0] += 0.5
    return np.sum(c1)
