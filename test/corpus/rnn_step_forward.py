# gradlens: fn=rnn_step_forward
# exercises: RNN step: tanh(x Wx + prev_h Wh + b)
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b, dnext_h):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return np.sum(next_h * dnext_h)
