# gradlens: fn=lstm_step_forward
# exercises: LSTM step: gate slices a[:, H:2 * H], sigmoid helper, tanh, elementwise products
import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def lstm_step_forward(x, dnext_c, prev_c, Wx, Wh, b, dnext_h, dnext_c):
    H = prev_h.shape[1]
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    o = sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return np.sum(next_h * dnext_h) + np.sum(next_c * dnext_c)
