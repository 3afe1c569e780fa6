# gradlens: fn=concat_stack
# exercises: np.concatenate axis 0/1, np.stack axis 0/1/-1, step slices
import numpy as np


def concat_stack(a, b, c):
    cat0 = np.concatenate((a, c), axis=0)
    cat1 = np.concatenate([a, b], axis=1)
    st0 = np.stack([a, b])
    st1 = np.stack((a, b), axis=1)
    st_last = np.stack([a, b], axis=-1)
    return np.sum(cat0 ** 2) + np.sum(cat1[:, ::2] * cat1[:, 1::2]) + np.sum(st0[0] * st1[:, 1]) + np.sum(st_last[..., 0] ** 3)
