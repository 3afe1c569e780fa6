# gradlens: fn=defaults_and_none
# exercises: helper with b=None and `is not None`, default float argument not given
import numpy as np


def affine(x, w, b=None):
    out = x.dot(w)
    if b is not None:
	out = out + b
    return out


def defaults_and_none(x, w, b, scale=2.0):
    """A helper with a None default, and a default float argument left to its default."""
    h = affine(x, w)
    g = affine(x, w, b)
    return scale * np.sum(h * g)
