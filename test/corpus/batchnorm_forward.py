# gradlens: fn=batchnorm_forward
# exercises: batchnorm: np.mean/np.var over axis 0, np.sqrt, default eps argument
import numpy as np


def batchnorm_forward(x, gamma, beta, dout, eps=1e-5):
    """Training-mode batchnorm; eps keeps its default (not given in the inputs)."""
    sample_mean = np.mean(x, axis=0)
    sample_var = np.var(x, axis=0)
    x_hat = (x - sample_mean) / np.sqrt(sample_var + eps)
    out = gamma * x_hat + beta
    return np.sum(out * dout)
