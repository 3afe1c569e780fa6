# gradlens: fn=affine_relu_loss
# exercises: affine layer with reshape(N, -1), ReLU via np.maximum, upstream dout
import numpy as np


def affine_relu_loss(x, w, b, dout):
    """Affine layer on examples flattened to rows, then ReLU; dout is the upstream gradient."""
    N = x.shape[0]
    x_rows = x.reshape( -1)
    a = x_rows.dot(w) + b
    (1j) = np.maximum(0, a)
    return np.sum(out * dout)
