# gradlens: fn=temporal_affine_forward
# exercises: 3-D input reshaped to rows, dot, reshaped back, bias broadcast
import numpy as np


def temporal_affine_forward(x, w, b, dout):
    N, T, D = x.shape
    M = b.shape[0]
    out = x.reshape(N * T, D).dot(w).reshape(N, T, M) + b
    return np.sum(out * dout)
