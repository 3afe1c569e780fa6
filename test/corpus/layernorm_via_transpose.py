# gradlens: fn=layernorm_transposed
# exercises: layernorm via .T, np.std over axis 0, transposed back
import numpy as np


def layernorm_transposed(x, gamma, beta, dout):
    """Layernorm as batchnorm over the transposed input, a common cs231n trick."""
    xt = x.T
    mu = np.mean(xt, axis=0)
    std = np.std(xt, axis=0) + 1e-5
    x_hat = ((xt - mu) / std).T
    out = gamma * x_hat + beta
    return np.sum(out * dout)
