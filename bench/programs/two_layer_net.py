# bench: forward=two_layer_net_loss grads=two_layer_net_loss_and_grads
# cs231n's two-layer net: affine - ReLU - affine - softmax, with L2 on both weight matrices.
import numpy as np


def two_layer_net_loss(X, y, W1, b1, W2, b2, reg):
    N, D = X.shape
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    data_loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    reg_loss = reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    return data_loss + reg_loss


def two_layer_net_loss_and_grads(X, y, W1, b1, W2, b2, reg):
    N, D = X.shape
    hidden = np.maximum(0, X.dot(W1) + b1)
    scores = hidden.dot(W2) + b2
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    data_loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    reg_loss = reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    loss = data_loss + reg_loss

    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    grads = {}
    grads['W2'] = hidden.T.dot(dscores) + 2 * reg * W2
    grads['b2'] = np.sum(dscores, axis=0)
    dhidden = dscores.dot(W2.T)
    dhidden[hidden <= 0] = 0
    grads['W1'] = X.T.dot(dhidden) + 2 * reg * W1
    grads['b1'] = np.sum(dhidden, axis=0)
    return loss, grads
