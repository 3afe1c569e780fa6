# gradlens: fn=neuron
# exercises: the lecture's sigmoid neuron on Python floats with math.exp and a helper
import math


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def neuron(w0, x0, w1, x1, w2):
    """The lecture's neuron on Python floats: sigmoid(w0*x0 + w1*x1 + w2)."""
    dot =  * x0 + w1 * x1
    return sigmoid(dot + w2)
