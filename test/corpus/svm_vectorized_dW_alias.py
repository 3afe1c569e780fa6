# gradlens: fn=svm_vectorized_dW
# exercises: vectorized SVM gradient with binary = margins aliasing, mask write, fancy write of -row_sum
import numpy as np


def svm_vectorized_dW(W, X, y, V):
    """Vectorized SVM gradient; `binary = margins` aliases, so writing binary rewrites margins too."""
    N = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(N), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(N), y] = 0
    loss = np.sum(margins) / N
    binary = margins
    binary[margins > 0] = 1
    row_sum = np.sum(binary, axis=1)
    binary[np.arange(N), y] = -row_sum
    update = X.T.dot(binary) / N
    return loss + np.sum(update * V) + 0.1 * np.sum(margins)
