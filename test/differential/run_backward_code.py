"""Runs GradLens's generated backward code in real NumPy.

Reads a JSON list of {"name", "code", "inputs": {NAME: {"value", "dtype"}}} from the file given as
the first argument and prints {name: {"grads": {NAME: nested list or float}} | {"error": str}}.
"""
import json
import sys

import numpy as np


def as_numpy(value, dtype):
    if isinstance(value, list):
        return np.array(value, dtype={"float64": float, "int64": np.int64, "bool": bool}[dtype])
    if dtype == "int64":
        return int(value)
    if dtype == "bool":
        return bool(value)
    return float(value)


def main():
    with open(sys.argv[1]) as f:
        programs = json.load(f)
    results = {}
    for program in programs:
        namespace = {}
        for name, spec in program["inputs"].items():
            namespace[name] = as_numpy(spec["value"], spec["dtype"])
        try:
            exec(program["code"], namespace)
            grads = {}
            for name, spec in program["inputs"].items():
                if spec["dtype"] == "float64":
                    grads[name] = np.asarray(namespace["grad_" + name], dtype=float).tolist()
            results[program["name"]] = {"grads": grads}
        except Exception as error:  # report, do not stop: each program is its own test
            results[program["name"]] = {"error": "%s: %s" % (type(error).__name__, error)}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
