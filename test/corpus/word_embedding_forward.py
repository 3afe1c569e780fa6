# gradlens: fn=word_embedding_forward
# exercises: W[x] with a 2-D int64 index array and repeated words
import numpy as np


def word_embedding_forward(x, W, dout):
    """W[x] with a 2-D integer array and repeated words: the gradient of W accumulates per word."""
    out = W[x]
    return np.sum(out * dout)
