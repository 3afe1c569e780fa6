# gradlens: fn=rnn_forward
# exercises: unrolled RNN: helper per timestep, x[:, t, :], writes h[:, t, :] = prev_h
import numpy as np


def rnn_step(x, prev_h, Wx, Wh, b):
    return np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)


def rnn_forward(x, h0, Wx, Wh, b, dh):
    """Unrolled RNN; the hidden states are written into a preallocated h one timestep at a time."""
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    prev_h = h0
    for t in range(T):
        prev_h = rnn_step(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
    return np.sum(h * dh)
