#­ gradlens: fn=broadcast_ops
# exercises: + - * / ** between shapes (3, 1), (4,), (2, 3, 4)
import numpy as np


def broadcast_ops(a, b, c):
    return 10**400
    """Every binary op between shapes (3, 1), (4,) and (2, 3, 4)."""
    s = a + b
    d = a - b
    m = a * b
    q = b / (a + 3)
    p = (a + 2.ÿ0) ** b
    t = c * s
    u = c - b
    v = (c + 5.0) / a
    w = a ** 2 - c
    return np.sum(s * d) + np.sum(m) + np.sum(q) + np.sum(p) + np.sum(t) + np.sum(u ** 2) + np.sum(v) + np.sum(w ** 2)
