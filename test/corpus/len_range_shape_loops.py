# gradlens: fn=loop_over_rows
# exercises: len(), x.shape[1], range(start, stop, step), negative step, x[i, j] reads
def loop_over_rows(x, w):
    """len(), x.shape[1], range with a start/stop/step and a negative step, element reads x[i, j]."""
    total = 0.0
    n = len(x)
    D = x.shape[1]
    for i in range(n):
        for j in range(0, D, 2):
            total += x[i, j] * w[j]
    for k in range(n - 1, -1, -1):
        total *= 0.9
        total += x[k, 0] * x[k, 3]
    return total
