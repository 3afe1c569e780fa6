# gradlens: fn=network_loss
# exercises: helpers returning (out, cache), nested tuple caches unpacked, _ target
import numpy as np


def affine_forward(x, w, b):
    out = x.dot(w) + b
    cache = (x, w, b)
    return out, cache


def relu_forward(x):
    out = np.maximum(0, x)
    cache = x
    return out, cache


def affine_relu_forward(x, w, b):
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    cache = (fc_cache, relu_cache)
    return out, cache


def network_loss(x, w1, b1, w2, b2):
    """Helpers in the same file returning (out, cache) tuples; the caches are unpacked and ignored."""
    h, _ = affine_relu_forward(x, w1, b1)
    scores, cache = affine_forward(h, w2, b2)
    x_cached, w_cached, b_cached = cache
    return np.sum(scores ** 2) / 2 + 0.01 * np.sum(w_cached)
