# gradlens: fn=max_pool_forward_naive
# exercises: naive 2x2 max pooling: 4-D slices with computed bounds, // , np.max of a window
import numpy as np


def max_pool_forward_naive(x, dout):
    N, C, H, W = x.shape
    pool_height, pool_width, stride = 2, 2, 2
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    h_start = i * stride
                    w_start = j * stride
                    window = x[n, c, h_start:h_start + pool_height, w_start:w_start + pool_width]
                    out[n, c, i, j] = np.max(window)
    return np.sum(out * dout)
