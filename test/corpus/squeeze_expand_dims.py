# gradlens: fn=squeeze_expand
# exercises: np.squeeze, x.squeeze(1), np.expand_dims, v[None, :], x[..., 0]
import numpy as np


def squeeze_expand(x, v):
    """squeeze, expand_dims, None in an index, and an ellipsis."""
    s = np.squeeze(x)
    e = np.expand_dims(v, 0)
    f = np.expand_dims(v, axis=1)
    g = x.squeeze(1)
    n = v[None, :] * s
    m = x[..., 0]
    return np.sum(s * e) + np.sum(f * g.T) + np.sum(n ** 2) + np.sum(m ** 2)
