# gradlens: fn=constructors
# exercises: zeros/ones/zeros_like/ones_like/full/eye/arange (int and float) in arithmetic
import numpy as np


def constructors(x, w):
    """zeros/ones/zeros_like/ones_like/full/eye/arange mixed into differentiable arithmetic."""
    N, D = x.shape
    z = np.zeros((N, D))
    o = np.ones(D)
    zl = np.zeros_like(x)
    ol = np.ones_like(w)
    f = np.full((N, 1), 0.5)
    I = np.eye(D)
    r = np.arange(D)
    rf = np.arange(0.0, 1.5, 0.5)
    z[1] = x[1] * 2
    zl += x ** 2
    return np.sum((x + I) @ w) + np.sum(z) + np.sum(zl * f) + np.sum(r * x) + np.sum(rf * x[0]) + np.sum(o * ol * w)
