# gradlens: fn=regression_loss
# exercises: mean squared error with np.mean and an L1 penalty with np.abs
import numpy as np


def regression_loss(X, w, target, lam):
    """Mean squared error plus an L1 penalty (np.abs) on weights away from 0."""
    pred = X @ w
    mse = np.mean((pred - target) ** 2)
    return mse + lam * np.sum(np.abs(w))
