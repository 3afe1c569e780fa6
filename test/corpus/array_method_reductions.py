# gradlens: fn=method_reductions
# exercises: method reductions h.sum(axis=0).max(), h.mean(), h.min(axis=1), h.var(), h.std()
import numpy as np


def method_reductions(x, w):
    """The method spellings students use: h.sum(axis=0), h.mean(), h.max(), h.var()."""
    h = x.dot(w)
    return h.sum(axis=0).max() + h.mean() - h.min(axis=1).sum() + h.var() + h.std(axis=0).sum()
