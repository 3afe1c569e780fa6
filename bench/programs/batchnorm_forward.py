# bench: forward=batchnorm_forward grads=batchnorm_forward_and_grads
# Training-mode batch normalization. The forward returns the layer's output, so GradLens reduces it
# as sum(out * dout) with its own seeded dout; the second function takes dout and returns the
# hand-written gradients of that same reduction (cs231n's batchnorm_backward_alt).
import numpy as np


def batchnorm_forward(x, gamma, beta):
    sample_mean = np.mean(x, axis=0)
    sample_var = np.var(x, axis=0)
    x_hat = (x - sample_mean) / np.sqrt(sample_var + 1e-5)
    out = gamma * x_hat + beta
    return out


def batchnorm_forward_and_grads(x, gamma, beta, dout):
    sample_mean = np.mean(x, axis=0)
    sample_var = np.var(x, axis=0)
    std = np.sqrt(sample_var + 1e-5)
    x_hat = (x - sample_mean) / std
    out = gamma * x_hat + beta

    grads = {}
    grads['beta'] = np.sum(dout, axis=0)
    grads['gamma'] = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    grads['x'] = (dx_hat - np.mean(dx_hat, axis=0) - x_hat * np.mean(dx_hat * x_hat, axis=0)) / std
    return out, grads
