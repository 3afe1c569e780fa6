# gradlens: fn=var_std
# exercises: np.var and np.std over all, over an axis, with keepdims
import numpy as np


def var_std(x):
    v0 = np.var(x, axis=0)
    s1 = np.std(x, axis=1, keepdims=True)
    return np.sum(v0) + np.sum(x / s1) * np.std(x) + np.var(x)
