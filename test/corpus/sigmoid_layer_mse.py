# gradlens: fn=logistic_mse
# exercises: np.exp sigmoid helper, x.dot(w) + Python float bias, squared error
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def logistic_mse(x, w, b, target):
    """Logistic unit on a batch, squared error against targets in [0, 1]."""
    p = sigmoid(x.dot(w) + b)
    diff = p - target
    return 0.5 * np.sum(diff * diff) / x.shape[0]
