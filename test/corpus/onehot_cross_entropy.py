# gradlens: fn=cross_entropy_onehot
# exercises: one-hot built by onehot[np.arange(N), y] = 1 in np.zeros((N, C))
import numpy as np


def cross_entropy_onehot(scores, y):
    N, C = scores.shape
    onehot = np.zeros((N, C))
    onehot[np.arange(N), y] = 1
    logits = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.sum(onehot * log_probs) / N
