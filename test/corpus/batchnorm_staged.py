# gradlens: fn=batchnorm_staged
# exercises: batchnorm as the staged graph: 1.0 / N * np.sum, xmu ** 2, 1.0 / sqrtvar
import numpy as np


def batchnorm_staged(x, gamma, beta, dout):
    """The staged computation graph of the cs231n batchnorm write-up."""
    N, D = x.shape
    mu = 1.0 / N * np.sum(x, axis=0)
    xmu = x - mu
    sq = xmu ** 2
    var = 1.0 / N * np.sum(sq, axis=0)
    sqrtvar = np.sqrt(var + 1e-5)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    gammax = gamma * xhat
    out = gammax + beta
    return np.sum(out * dout)
