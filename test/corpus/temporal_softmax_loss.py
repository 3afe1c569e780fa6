# gradlens: fn=temporal_softmax_loss
# exercises: masked temporal softmax: reshape of int and bool arrays, probs /= sum, mask * log
import numpy as np


def temporal_softmax_loss(x, y, mask):
    """cs231n's masked softmax over timesteps: reshape to rows, fancy-index, weight by the bool mask."""
    N, T, V = x.shape
    x_flat = x.reshape(N * T, V)
    y_flat = y.reshape(N * T)
    mask_flat = mask.reshape(N * T)
    probs = np.exp(x_flat - np.max(x_flat, axis=1, keepdims=True))
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(mask_flat * np.log(probs[np.arange(N * T), y_flat])) / N
    return loss
