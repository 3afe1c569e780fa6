# gradlens: fn=l2_regularization
# exercises: L2 penalty with Python float reg (gets a gradient), np.square, reg_loss +=
import numpy as np


def l2_regularization(W1, b1, W2, reg):
    """Data term plus L2 penalties; reg is a Python float and gets a gradient too."""
    reg_loss = 0.5 * reg * np.sum(W1 * W1)
    reg_loss += 0.5 * reg * np.sum(np.square(W2))
    data_term = np.sum(np.tanh(b1) * np.sum(W1, axis=0))
    return data_term + reg_loss
