# gradlens: fn=comparison_where
# exercises: broadcast comparisons > and <= feeding np.where
import numpy as np


def comparison_where(a, b, x):
    """Comparisons broadcast like arithmetic; the masks choose branches in np.where."""
    gt = a > b
    le = x <= b
    out = np.where(gt, x * a, x + b)
    alt = np.where(le, 2.0 * x, b - x)
    return np.sum(out ** 2) + np.sum(alt * a)
