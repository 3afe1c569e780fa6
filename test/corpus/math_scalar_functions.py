# gradlens: fn=scalar_math
# exercises: math.exp/log/sqrt/tanh/pi on Python floats
import math


def scalar_math(a, b):
    c = math.exp(a) + math.log(b)
    d = math.sqrt(b * b + 1.0)
    e = math.tanh(a - b)
    return c * d - e / d + math.pi * a ** 2
