# gradlens: fn=reshape_and_transpose
# exercises: np.transpose with axes, .transpose(2, 0, 1), reshape tuple and -1, .T, ravel, flatten
import numpy as np


def reshape_and_transpose(x, w):
    """np.transpose with axes, the method with varargs, reshape with a tuple and with -1, .T, ravel, flatten."""
    t = np.transpose(x, (0, 2, 1))
    r = t.reshape((8, 3))
    s = r.T
    u = x.transpose(2, 0, 1).reshape(4, -1)
    flat = u.ravel()
    f2 = np.reshape(x, (6, 4)).flatten()
    return np.sum(s.dot(w) ** 2) + np.sum(flat * f2) + np.sum(u[:, 0] * x[0, 0])
