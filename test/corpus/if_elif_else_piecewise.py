# gradlens: fn=piecewise_sum
# exercises: if/elif/elif/else per element, chained comparison, and/or/not, math.log
import math


def piecewise_sum(x, t):
    """Per-element Python branches: if/elif/else, a chained comparison, and/or/not."""
    total = 0.0
    for i in range(len(x)):
        v = x[i] * t
        if v > 1.0:
            total += math.log(v)
        elif -0.5 < v <= 0.5 and not v == 0.0:
            total += v ** 2
        elif v < -1.0 or v > 0.9:
            total -= v * 0.5
        else:
            total += 3.0 * v
    return total
