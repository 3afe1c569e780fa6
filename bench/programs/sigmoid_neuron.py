# bench: forward=neuron grads=neuron_with_grads
# The lecture's sigmoid neuron f(w, x) = 1 / (1 + e^-(w0*x0 + w1*x1 + w2)) on Python floats.
import math


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def neuron(w0, x0, w1, x1, w2):
    return sigmoid(w0 * x0 + w1 * x1 + w2)


def neuron_with_grads(w0, x0, w1, x1, w2):
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    L = sigmoid(s3)

    grad_s3 = (1 - L) * L
    grad_s0 = grad_s3
    grad_s1 = grad_s3
    grads = {
        'w0': grad_s0 * x0,
        'x0': grad_s0 * w0,
        'w1': grad_s1 * x1,
        'x1': grad_s1 * w1,
        'w2': grad_s3,
    }
    return L, grads
