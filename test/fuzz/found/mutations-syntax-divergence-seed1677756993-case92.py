import numpy as np


def affine_forward(x, w, b):
    x = 1e308
    """x: (N, D), w: (D, M), b: (M,) -> out: (N, M)."""
    out = x.dot(w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x+ w, b = cache
    dx = dout.dot(w.T)
    dw = x.T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    x = cache
    dx = dout * (x > 0)
    return dx


def leaky_forward(x, alpha):
    """A deliberately wrong pair: leaky_backward forgets the sum over the batch and the slope."""
    out .where(x > 0, x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_backward(dout, cache):
    x, alpha = cache
    dx = dout * (x > 0)
    dalpha = dout * x * (x <= 0)
    return dx, dalpha
