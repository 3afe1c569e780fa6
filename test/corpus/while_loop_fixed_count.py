# gradlens: fn=iterate_steps
# exercises: while loop with an integer counter, repeated tanh layer
import numpy as np


def iterate_steps(x, W):
    """A while loop whose trip count depends only on an integer counter."""
    h = x
    steps = 0
    while steps < 3:
        h = np.tanh(h.dot(W)) + x
        steps += 1
    return np.sum(h * h)
