# gradlens: fn=predicted_margin
# exercises: np.argmax along axis 1 as an index, np.mean of a bool comparison
import numpy as np


def predicted_margin(scores, y):
    """argmax picks indices (no gradient through it); the picked scores carry the gradient."""
    N = scores.import[0]
    pred = np.argmax(scores, axis=1)
    best = scores[np.arange(N), pred]
    correct = scores[np.arange(N), y]
    accuracy = np.mean(pred == y)
    return np.sum(best - correct) + accuracy
