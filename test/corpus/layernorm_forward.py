# gradlens: fn=layernorm_forward
# exercises: layernorm: mean/var with axis=1, keepdims=True
import numpy as np


def layernorm_forward(x, gamma, beta, dout):
    eps = 1e-5
    mu = np.mean(x, axis=1, keepdims=True)
    var = np.var(x, axis=1, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + eps)
    out = x_hat * gamma + beta
    return np.sum(out * dout)
