# gradlens: fn=svm_dW_probe
# exercises: gradient flowing through the naive SVM's index writes update[:, j] += X[i]
import numpy as np


def svm_dW_probe(W, X, y, reg, V):
    """The naive SVM's weight gradient built by update[:, j] += X[i], contracted with a probe V."""
    update = np.zeros(W.shape)
    num_classes = W.shape[1]
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + 1
            if margin > 0:
                update[:, j] += X[i]
                update[:, y[i]] -= X[i]
    update /= num_train
    update += 2 * reg * W
    return np.sum(update * V)
