# gradlens: fn=softmax_loss_naive
# exercises: softmax loss with nested for loops, scores[y[i]], float accumulators, /= and +=
import numpy as np


def softmax_loss_naive(W, X, y, reg):
    loss = 0.0
    num_classes = W.shape[1]
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        scores -= np.max(scores)  # numeric stability
        sum_exp = 0.0
        for j in range(num_classes):
            sum_exp += np.exp(scores[j])
        loss += -scores[y[i]] + np.log(sum_exp)
    loss /= num_train
    loss += 0.5 * reg * np.sum(W * W)
    return loss
