# gradlens: fn=softmax_dscores_probe
# exercises: softmax residual built by residual[np.arange(N), y] -= 1 on a copy
import numpy as np


def softmax_dscores_probe(scores, y, V):
    """The softmax gradient built by a fancy-index write on a copy, contracted with a probe V."""
    N = scores.shape[0]
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    probs = e / np.sum(e, axis=1, keepdims=True)
    residual = probs.copy()
    residual[np.arange(N), y] -= 1
    residual /= N
    return np.sum(residual * V)
