# gradlens: fn=sgd_trajectory
# exercises: hand-written gradient descent steps w -= lr * grad on a copy, gradient through the loop
import numpy as np


def sgd_trajectory(X, t, w0, lr):
    """Three gradient steps written by hand; the final loss depends on w0 and lr through the loop."""
    w = w0.copy()
    N = X.shape[0]
    for step in range(3):
        err = X.dot(w) - t
        grad = 2.0 / N * X.T.dot(err)
        w -= lr * grad
    return np.mean((X.dot(w) - t) ** 2)
