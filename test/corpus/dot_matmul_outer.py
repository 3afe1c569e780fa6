# gradlens: fn=products
# exercises: np.dot vector-vector, np.outer, np.matmul, @ matrix-vector and vector-matrix
import numpy as np


def products(u, v, A, B):
    """np.dot of vectors, np.outer, np.matmul, @ with matrix-vector and vector-matrix shapes."""
    s = np.dot(u, v)
    o = np.outer(u, v)
    M = np.matmul(A, B)
    Av = A @ u
    uB = u @ B
    D = np.dot(A, o)
    return s * np.sum(M) + np.sum(Av ** 2) + np.sum(uB * uB) + np.sum(D)
