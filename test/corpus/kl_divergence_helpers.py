# gradlens: fn=kl_divergence
# exercises: a log_softmax helper called twice, axis=-1 reductions
import numpy as np


def log_softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def kl_divergence(p_logits, q_logits):
    """One helper called twice, its results combined."""
    lp = log_softmax(p_logits)
    lq = log_softmax(q_logits)
    p = np.exp(lp)
    return np.sum(p * (lp - lq)) / p_logits.shape[0]
