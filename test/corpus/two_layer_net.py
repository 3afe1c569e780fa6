# gradlens: fn=two_layer_net_loss
# exercises: two-layer net: affine-ReLU-affine, log-softmax, fancy gather, L2 on both weights
import numpy as np


def two_layer_net_loss(X, y, W1, b1, W2, b2, reg):
    N, D = X.shape
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    data_loss = -np.sum(log_probs[np.arange(N), y]) / N
    reg_loss = 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    return data_loss + reg_loss
