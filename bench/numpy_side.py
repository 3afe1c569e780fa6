#!/usr/bin/env python3
"""The NumPy side of `npm run bench`: a long-lived process that times the benchmark programs.

bench/run.ts starts this once and sends one JSON command per line on stdin; each answer is one JSON
line on stdout. Keeping the process alive lets the run interleave GradLens and NumPy repetitions
without Python's start-up or NumPy's import in any number. Timings are time.perf_counter around the
calls only (not the JSON round trip). Garbage collection stays on, as in a user's own run.

Commands:
  {"cmd": "info"}
      -> versions and the BLAS that NumPy runs (threadpoolctl when installed, else the same
         queries threadpoolctl makes, sent to the OpenBLAS that NumPy loaded, plus show_config).
  {"cmd": "load", "program": ID, "source": PATH.py, "inputs": INPUTS.json, "forward": FN,
   "grads": FN, "checkInputs": [NAME, ...], "policy": {"fullCheckMaxElements", "sampledElements",
   "directions", "seed"}}
      -> {"value": forward output (its sum for an array), "shape": [...]}
  {"cmd": "time", "program": ID, "measure": "forward" | "forward+backward" | "check", "calls": K}
      -> {"ms": mean milliseconds per call over K back-to-back calls, and for the check
          "forwardPasses": int and "relErrors": {NAME: worst relative error against the
          hand-written gradient, or null where the program wrote none}}
  {"cmd": "product", "shape": [M, K, N], "product": "X·W1" | "Xᵀ·dH" | "dH·W1ᵀ", "calls": K}
      -> {"ms": mean milliseconds per call, "sum": the sum of the product's elements}: the
         CIFAR-size pass's matrix products alone, on the same values as GradLens's (bench/ceiling.ts).

The check is cs231n's: eval_numerical_gradient (every element, f(x+h) and f(x-h), np.nditer) for an
input of at most fullCheckMaxElements elements, eval_numerical_gradient_array for a layer that returns
an array; larger inputs get grad_check_sparse on sampledElements random elements plus `directions`
directional checks, the same plan GradLens follows with its default options.
"""
import ctypes
import importlib.util
import json
import os
import platform
import sys
import time
from random import Random

import numpy as np

H = 1e-5  # cs231n's step for the numerical gradient


def decode_input(encoded):
    """INPUTS.json: a number is a Python float, a nested list a float64 array, {dtype, value} typed."""
    if isinstance(encoded, (int, float)) and not isinstance(encoded, bool):
        return float(encoded)
    if isinstance(encoded, list):
        return np.array(encoded, dtype=np.float64)
    if isinstance(encoded, dict):
        return np.array(encoded["value"], dtype=encoded["dtype"])
    raise ValueError("cannot decode input %r" % (encoded,))


def rel_error(x, y):
    """cs231n's relative error."""
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def eval_numerical_gradient(f, x, h=H):
    """cs231n: a naive implementation of the numerical gradient of f at x (f takes x, returns a float)."""
    fx = f(x)  # evaluate function value at original point, as cs231n does
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    del fx
    return grad


def eval_numerical_gradient_array(f, x, df, h=H):
    """cs231n: the numerical gradient of a function that returns an array, contracted with df."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def grad_check_sparse(f, x, analytic_grad, num_checks, random, h=H):
    """cs231n: sample a few random elements and compare only those; returns the worst relative error."""
    worst = 0.0
    for _ in range(num_checks):
        ix = tuple(random.randrange(m) for m in x.shape)
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix] if analytic_grad is not None else grad_numerical
        worst = max(worst, abs(grad_numerical - grad_analytic) / max(1e-8, abs(grad_numerical) + abs(grad_analytic)))
    return worst


class Program:
    """One benchmark program: its two functions, its inputs, and how to time each measure."""

    def __init__(self, command):
        spec = importlib.util.spec_from_file_location("bench_" + command["program"], command["source"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.forward = getattr(module, command["forward"])
        self.with_grads = getattr(module, command["grads"])
        with open(command["inputs"]) as inputs_file:
            self.inputs = {name: decode_input(value) for name, value in json.load(inputs_file).items()}
        self.check_inputs = command["checkInputs"]
        self.policy = command["policy"]
        self.forward_args = self.arguments_of(self.forward)
        self.output = self.forward(**self.forward_args)
        # A layer that returns an array gets an upstream gradient, as cs231n's layer checks do.
        self.dout = None if np.ndim(self.output) == 0 else np.random.RandomState(self.policy["seed"]).randn(*np.shape(self.output))
        self.grads_args = self.arguments_of(self.with_grads)

    def arguments_of(self, function):
        names = function.__code__.co_varnames[: function.__code__.co_argcount]
        return {name: (self.dout if name == "dout" else self.inputs[name]) for name in names if name in self.inputs or name == "dout"}

    def describe_output(self):
        if np.ndim(self.output) == 0:
            return {"value": float(self.output), "shape": []}
        return {"value": float(np.sum(self.output)), "shape": list(np.shape(self.output))}

    def run_forward(self):
        return self.forward(**self.forward_args)

    def run_forward_backward(self):
        return self.with_grads(**self.grads_args)

    def analytic_gradients(self):
        """The hand-written gradients by input name: a grads dict, or (loss, dW) for the first array input."""
        _, grads = self.with_grads(**self.grads_args)
        if isinstance(grads, dict):
            return grads
        first_array = next(name for name, value in self.grads_args.items() if isinstance(value, np.ndarray) and value.dtype == np.float64)
        return {first_array: grads}

    def run_check(self):
        """The whole gradient check: (forward passes made, worst relative error by input)."""
        analytic = self.analytic_gradients()
        passes = 1
        errors = {}
        random = Random(self.policy["seed"])
        args = dict(self.forward_args)

        def loss_at(_x):
            value = self.forward(**args)
            return value if self.dout is None else np.sum(value * self.dout)

        def output_at(_x):
            return self.forward(**args)

        for name in self.check_inputs:
            value = args[name]
            if isinstance(value, float):
                # A Python float cannot be changed in place: perturb the argument itself.
                args[name] = value + H
                plus = loss_at(None)
                args[name] = value - H
                minus = loss_at(None)
                args[name] = value
                passes += 2
                errors[name] = None if name not in analytic else rel_error(np.float64((plus - minus) / (2 * H)), analytic[name])
                continue
            x = value.copy()  # perturbed in place below; the program's own inputs stay as they were
            args[name] = x
            if x.size <= self.policy["fullCheckMaxElements"]:
                if self.dout is None:
                    numeric = eval_numerical_gradient(loss_at, x)
                    passes += 2 * x.size + 1
                else:
                    numeric = eval_numerical_gradient_array(output_at, x, self.dout)
                    passes += 2 * x.size
                errors[name] = rel_error(numeric, analytic[name]) if name in analytic else None
            else:
                worst = grad_check_sparse(loss_at, x, analytic.get(name), self.policy["sampledElements"], random)
                passes += 2 * self.policy["sampledElements"]
                direction_source = np.random.RandomState(self.policy["seed"])
                for _ in range(self.policy["directions"]):
                    # Random signs, ±1/sqrt(n) in every element, as GradLens's directions.
                    direction = np.where(direction_source.random_sample(x.shape) < 0.5, -1.0, 1.0) / np.sqrt(x.size)
                    args[name] = value + H * direction
                    plus = loss_at(None)
                    args[name] = value - H * direction
                    minus = loss_at(None)
                    passes += 2
                    if name in analytic:
                        worst = max(worst, rel_error(np.float64((plus - minus) / (2 * H)), np.sum(analytic[name] * direction)))
                errors[name] = worst if name in analytic else None
            args[name] = value
        return passes, errors


def blas_description():
    """Which BLAS NumPy runs and which kernel it picked at run time."""
    description = {"source": None, "libraries": []}
    try:
        import threadpoolctl  # optional; not a dependency of the bench

        description["source"] = "threadpoolctl"
        description["libraries"] = [
            {key: info.get(key) for key in ("internal_api", "version", "architecture", "num_threads", "threading_layer", "filepath")}
            for info in threadpoolctl.threadpool_info()
        ]
    except ImportError:
        description["source"] = "OpenBLAS queried with ctypes (threadpoolctl is not installed)"
        description["libraries"] = query_loaded_openblas()
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        description["showConfig"] = {key: blas.get(key) for key in ("name", "version", "openblas configuration")}
    except (TypeError, AttributeError):
        description["showConfig"] = None
    return description


def query_loaded_openblas():
    """The calls threadpoolctl makes (corename, config, threads) on each OpenBLAS this process mapped."""
    paths = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "openblas" in os.path.basename(path).lower():
                    paths.add(path)
    except OSError:
        return []
    libraries = []
    for path in sorted(paths):
        library = ctypes.CDLL(path)
        found = {"internal_api": "openblas", "filepath": path}
        for key, names, result_type in (
            ("architecture", ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"), ctypes.c_char_p),
            ("config", ("scipy_openblas_get_config64_", "scipy_openblas_get_config", "openblas_get_config"), ctypes.c_char_p),
            ("num_threads", ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads"), ctypes.c_int),
        ):
            for name in names:
                function = getattr(library, name, None)
                if function is None:
                    continue
                function.restype = result_type
                value = function()
                found[key] = value.decode() if isinstance(value, bytes) else value
                break
        libraries.append(found)
    return libraries


def info():
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_description(),
        "openblasEnvironment": {key: value for key, value in os.environ.items() if key.startswith("OPENBLAS")},
    }


def time_calls(function, calls):
    start = time.perf_counter()
    result = None
    for _ in range(calls):
        result = function()
    return (time.perf_counter() - start) * 1000 / calls, result


def fill_matrix(rows, cols, salt):
    """bench/ceiling.ts's fillMatrix: the same deterministic values as GradLens's side."""
    i = np.arange(rows * cols, dtype=np.int64)
    return (((i * 7919 + salt * 104729) % 2003) / 1001.5 - 1).reshape(rows, cols)


class Products:
    """The CIFAR-size pass's three matrix products, as the hand-written backward writes them."""

    def __init__(self, m, k, n):
        x, w1, d_h = fill_matrix(m, k, 1), fill_matrix(k, n, 2), fill_matrix(m, n, 3)
        self.run = {"X·W1": lambda: x.dot(w1), "Xᵀ·dH": lambda: x.T.dot(d_h), "dH·W1ᵀ": lambda: d_h.dot(w1.T)}


def main():
    programs = {}
    products = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            if command["cmd"] == "info":
                answer = info()
            elif command["cmd"] == "load":
                program = Program(command)
                programs[command["program"]] = program
                answer = program.describe_output()
            elif command["cmd"] == "time":
                program = programs[command["program"]]
                measure = command["measure"]
                runner = {"forward": program.run_forward, "forward+backward": program.run_forward_backward, "check": program.run_check}[measure]
                ms, result = time_calls(runner, command["calls"])
                answer = {"ms": ms, "forwardPasses": None, "relErrors": None}
                if measure == "check":
                    answer["forwardPasses"], answer["relErrors"] = result
            elif command["cmd"] == "product":
                shape = tuple(command["shape"])
                if shape not in products:
                    products[shape] = Products(*shape)
                ms, result = time_calls(products[shape].run[command["product"]], command["calls"])
                answer = {"ms": ms, "sum": float(result.sum())}
            else:
                raise ValueError("unknown command %r" % command["cmd"])
            answer["ok"] = True
        except Exception as error:  # the answer carries it to run.ts, which stops the run
            answer = {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
