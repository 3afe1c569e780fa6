#!/usr/bin/env python3
"""Reference values and gradients for the differential corpus, computed with real NumPy.

Usage:
  numpy_reference.py PROGRAM.py [--inputs INPUTS.json]   one program  -> {"value": .., "grads": {..}}
  numpy_reference.py --all DIR                            every DIR/*.py -> {NAME: {..}, ...}

Each program's first line is `# gradlens: fn=FUNCNAME`; its inputs are in NAME.inputs.json next to it
(the INPUTS.json format of design.md). The function must return a Python float or a 0-d value.

Gradients are central differences in float64 with h = 1e-6, one element at a time. Because the
corpus compares these numbers with an autograd engine, a program is rejected (an "error" entry and
a non-zero exit) when an input sits at or near a kink, so that finite differences and the true
derivative could disagree:
  - the central differences with h = 1e-6 and h = 1e-5 differ by more than 1e-6 relative
    (a branch flips somewhere within 1e-5 of the input), or
  - the one-sided slopes at h = 1e-6 differ by an amount that does not shrink with h
    (a branch flips exactly at the input, where the central differences still agree).
A program is also rejected if it writes into one of its input arrays (the gradient "with respect to
an input" would then be ambiguous), or if its value or gradient is not finite.

Exit codes: 0 all good; 1 some program was rejected or failed (details in the JSON and on stderr);
2 usage error; 3 NumPy cannot be imported.
"""
import copy
import json
import math
import os
import re
import sys
import traceback

try:
    import numpy as np
except ImportError as import_error:
    sys.stderr.write(
        "numpy_reference.py: NumPy cannot be imported by %s (%s).\n"
        "Install NumPy for this interpreter, or point GRADLENS_PYTHON at a Python that has it.\n"
        % (sys.executable, import_error)
    )
    sys.exit(3)

STEP = 1e-6
COARSE_STEP = 1e-5
# |central(1e-6) - central(1e-5)| allowed, relative to max(1, max|grad|) over the input.
CENTRAL_AGREEMENT = 1e-6
# A one-sided slope gap above this (relative, as above) is looked at as a possible kink.
ONE_SIDED_NOISE = 1e-7

HEADER = re.compile(r"^#\s*gradlens:\s*fn\s*=\s*([A-Za-z_][A-Za-z_0-9]*)\s*$")


class CorpusError(Exception):
    """A program that cannot serve as a reference: bad header, inputs, kink, non-scalar result."""


def read_function_name(path, source):
    first_line = source.split("\n", 1)[0]
    match = HEADER.match(first_line)
    if not match:
        raise CorpusError("%s: first line must be '# gradlens: fn=FUNCNAME', got %r" % (path, first_line))
    return match.group(1)


def decode_input(name, encoded):
    """INPUTS.json: a number is a Python float, a nested list a float64 array, {dtype, value} an array of that dtype."""
    if isinstance(encoded, bool):
        raise CorpusError("input %s: a bare boolean is not a valid input" % name)
    if isinstance(encoded, (int, float)):
        return float(encoded)
    if isinstance(encoded, list):
        return np.array(encoded, dtype=np.float64)
    if isinstance(encoded, dict) and "dtype" in encoded and "value" in encoded:
        dtype = encoded["dtype"]
        if dtype not in ("float64", "int64", "bool"):
            raise CorpusError("input %s: unsupported dtype %r" % (name, dtype))
        return np.array(encoded["value"], dtype=dtype)
    raise CorpusError("input %s: cannot decode %r" % (name, encoded))


def is_float_input(value):
    return isinstance(value, float) or (isinstance(value, np.ndarray) and value.dtype == np.float64)


class Program:
    def __init__(self, path, inputs_path=None):
        self.path = path
        with open(path, encoding="utf-8") as source_file:
            self.source = source_file.read()
        self.function_name = read_function_name(path, self.source)
        if inputs_path is None:
            inputs_path = path[: -len(".py")] + ".inputs.json"
        if not os.path.exists(inputs_path):
            raise CorpusError("%s: missing inputs file %s" % (path, inputs_path))
        with open(inputs_path, encoding="utf-8") as inputs_file:
            encoded_inputs = json.load(inputs_file)
        if not isinstance(encoded_inputs, dict):
            raise CorpusError("%s: must hold a JSON object" % inputs_path)
        self.inputs = {name: decode_input(name, encoded) for name, encoded in encoded_inputs.items()}
        namespace = {"__name__": "gradlens_corpus_program"}
        exec(compile(self.source, path, "exec"), namespace)
        if not callable(namespace.get(self.function_name)):
            raise CorpusError("%s: no function named %s" % (path, self.function_name))
        self.function = namespace[self.function_name]

    def evaluate(self, inputs):
        """f(inputs) as a Python float, on private copies so that evaluations cannot leak into each other."""
        arguments = copy.deepcopy(inputs)
        result = self.function(**arguments)
        for name, value in inputs.items():
            if isinstance(value, np.ndarray) and not np.array_equal(arguments[name], value):
                raise CorpusError("%s writes into its input %s; corpus programs must copy inputs before writing" % (self.path, name))
        if isinstance(result, np.ndarray) and result.shape != ():
            raise CorpusError("%s returns an array of shape %s; corpus programs return a scalar" % (self.path, result.shape))
        if not isinstance(result, (float, int, np.floating, np.integer, np.ndarray)) or isinstance(result, bool):
            raise CorpusError("%s returns %s; corpus programs return a float" % (self.path, type(result).__name__))
        value = float(result)
        if not math.isfinite(value):
            raise CorpusError("%s returns a non-finite value %r" % (self.path, value))
        return value

    def with_input(self, name, new_value):
        perturbed = dict(self.inputs)
        perturbed[name] = new_value
        return perturbed

    def slopes(self, name, index, base_value):
        """Central differences at two steps and one-sided slopes, for one element of one input."""
        original = self.inputs[name]

        def at(offset):
            if isinstance(original, float):
                return self.evaluate(self.with_input(name, original + offset))
            shifted = original.copy()
            shifted[index] += offset
            return self.evaluate(self.with_input(name, shifted))

        plus, minus = at(STEP), at(-STEP)
        coarse_plus, coarse_minus = at(COARSE_STEP), at(-COARSE_STEP)
        return {
            "central": (plus - minus) / (2 * STEP),
            "coarse_central": (coarse_plus - coarse_minus) / (2 * COARSE_STEP),
            "one_sided_gap": ((plus - base_value) - (base_value - minus)) / STEP,
            "coarse_one_sided_gap": ((coarse_plus - base_value) - (base_value - coarse_minus)) / COARSE_STEP,
        }

    def gradient(self, name, base_value):
        original = self.inputs[name]
        indices = [None] if isinstance(original, float) else list(np.ndindex(*original.shape))
        per_element = [self.slopes(name, index, base_value) for index in indices]
        scale = max([1.0] + [abs(s["central"]) for s in per_element])
        for index, s in zip(indices, per_element):
            where = name if index is None else "%s%s" % (name, list(index))
            if not math.isfinite(s["central"]):
                raise CorpusError("%s: gradient of %s is not finite" % (self.path, where))
            if abs(s["central"] - s["coarse_central"]) > CENTRAL_AGREEMENT * scale:
                raise CorpusError(
                    "%s: %s is near a kink: central differences %.12g (h=1e-6) and %.12g (h=1e-5) disagree"
                    % (self.path, where, s["central"], s["coarse_central"])
                )
            # Smooth: the one-sided gap is h * f'' and grows tenfold with h. At a kink it is the slope jump, whatever h.
            gap, coarse_gap = abs(s["one_sided_gap"]), abs(s["coarse_one_sided_gap"])
            if gap > ONE_SIDED_NOISE * scale and coarse_gap < 3 * gap:
                raise CorpusError(
                    "%s: %s sits on a kink: slopes left and right of it differ by %.6g" % (self.path, where, s["one_sided_gap"])
                )
        if isinstance(original, float):
            return per_element[0]["central"]
        return np.array([s["central"] for s in per_element], dtype=np.float64).reshape(original.shape).tolist()

    def reference(self):
        value = self.evaluate(self.inputs)
        grads = {name: self.gradient(name, value) for name, v in self.inputs.items() if is_float_input(v)}
        return {"value": value, "grads": grads}


def run_one(path, inputs_path=None):
    try:
        return Program(path, inputs_path).reference()
    except CorpusError as error:
        return {"error": str(error)}
    except Exception:  # a bug in a corpus program: report it with its traceback, keep going with the others
        return {"error": "%s failed under NumPy:\n%s" % (path, traceback.format_exc())}


def main(argv):
    if len(argv) == 2 and argv[0] == "--all":
        directory = argv[1]
        if not os.path.isdir(directory):
            sys.stderr.write("numpy_reference.py: %s is not a directory\n" % directory)
            return 2
        names = sorted(f[: -len(".py")] for f in os.listdir(directory) if f.endswith(".py"))
        results = {name: run_one(os.path.join(directory, name + ".py")) for name in names}
    elif len(argv) in (1, 3) and argv[0].endswith(".py") and (len(argv) == 1 or argv[1] == "--inputs"):
        if not os.path.isfile(argv[0]):
            sys.stderr.write("numpy_reference.py: no such file %s\n" % argv[0])
            return 2
        results = {"": run_one(argv[0], argv[2] if len(argv) == 3 else None)}
    else:
        sys.stderr.write(__doc__)
        return 2
    failed = [name for name, result in results.items() if "error" in result]
    for name in failed:
        sys.stderr.write("numpy_reference.py: %s\n" % results[name]["error"])
    output = results[""] if "" in results else results
    sys.stdout.write(json.dumps(output, allow_nan=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
