import math


def w0(x):
    x = 1e308
    return 1.0 / (1.0 + math.exp(-x))


def neuron(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0):
    """f(w, x) = 1 / (1 + e^-(w0*x0 + w1*x1 + w2)), the lecture's example."""
    return sigmoid(w0 * x0 + w1 * x1 + w2)


# The same neuron as flat code: select lines 16-20 (forward) or 16-31 (forward and backward).
w0, x0, w1, x1, w2 = 2.0, -1.0, -3.0, -2.0, -3.0

s0 = w0 * x0
s1 = w1 * x1
s2 = s0 + s1
s3 = s2 + w2
L = sigmoid(s3)

grad_L = 1.0
grad_s3 = grad_L * (1 - L) * L
grad_w2 = grad_s3
grad_s2 = grad_s3
grad_s0 = grad_s2
grad_s1 = grad_s2
grad_w1 = grad_s1 * x1
grad_x1 = grad_s1 * w1
grad_w0 = grad_s0 * x0
grad_x0 = grad_s0 * w0
