# gradlens: fn=float_arithmetic
# exercises: Python float + - * / **, unary minus, int literals, no NumPy
def float_arithmetic(x, y):
    """Python float arithmetic only: + - * / **, unary minus, int literals mixed in."""
    a = x * y - x / y
    b = -a + 3
    c = (x + 2.0) ** 2 - y ** 0.5
    d = 2.0 ** x
    e = 1 / (1 + x * x)
    return a * b + c / d + e
