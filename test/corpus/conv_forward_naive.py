# gradlens: fn=conv_forward_naive
# exercises: naive convolution: four loops, x[n, :, hs:hs + HH, ws:ws + WW] * w[f] + b[f]
import numpy as np


def conv_forward_naive(x, w, b, dout):
    """Convolution with stride 1 and no padding, four nested loops over a window."""
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    stride = 1
    H_out = 1 + (H - HH) // stride
    W_out = 1 + (W - WW) // stride
    out = np.zeros((N, F, H_out, W_out))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    hs = i * stride
                    ws = j * stride
                    out[n, f, i, j] = np.sum(x[n, :, hs:hs + HH, ws:ws + WW] * w[f]) + b[f]
    return np.sum(out * dout)
