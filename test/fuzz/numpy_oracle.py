#!/usr/bin/env python3
"""What real NumPy says about fuzzed programs: the forward value, or the error and its line.

Usage: numpy_oracle.py                  one batch: a JSON list on stdin, the answers on stdout
       numpy_oracle.py --serve REQ RESP   a server: one JSON list per line read from the FIFO REQ,
                                          one line of answers written to the FIFO RESP, until EOF
                                          (NumPy's import costs most of a second: pay it once)

Reads a JSON list, each item {"source": str, "functionName": str, "inputs": {NAME: value}} (with
"compileOnly": true, only compiles the source: {"value": "compiled"} or the SyntaxError)
(the INPUTS.json format: a number is a Python float, a nested list a float64 array), and writes a JSON
list of the same length: {"value": float} or {"error": {"type": str, "message": str, "line": int|null}}.
Each program runs in a fresh namespace on fresh copies of its inputs; warnings are silenced (NumPy's
overflow and invalid-value warnings are not errors). Non-finite values are written as strings
("inf", "-inf", "nan") so that the output stays JSON.
"""
import json
import math
import sys
import traceback
import warnings

import numpy as np

FILENAME = "<fuzzed>"


def decode(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict) and "dtype" in value:
        return np.array(value["value"], dtype=value["dtype"])
    return np.array(value, dtype=np.float64)


def error_line(tb):
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == FILENAME:
            line = frame.lineno
    return line


def number(value):
    value = float(value)
    return value if math.isfinite(value) else str(value)


def run(item):
    namespace = {"__name__": "fuzzed"}
    try:
        code = compile(item["source"], FILENAME, "exec")
    except SyntaxError as error:
        return {"error": {"type": type(error).__name__, "message": str(error.msg), "line": error.lineno}}
    except (ValueError, RecursionError, MemoryError) as error:  # null bytes, nesting past CPython's limits
        return {"error": {"type": type(error).__name__, "message": str(error), "line": None}}
    if item.get("compileOnly"):
        return {"value": "compiled"}
    try:
        exec(code, namespace)
        function = namespace[item["functionName"]]
        arguments = {name: decode(value) for name, value in item["inputs"].items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = function(**arguments)
        return {"value": number(np.asarray(result).reshape(-1)[0]) if np.size(result) == 1 else "non-scalar"}
    except Exception as error:  # the program's own error is the answer
        return {"error": {"type": type(error).__name__, "message": str(error), "line": error_line(error.__traceback__)}}


def serve(request_path, response_path):
    with open(request_path, encoding="utf-8") as requests, open(response_path, "w", encoding="utf-8") as responses:
        for line in requests:
            responses.write(json.dumps([run(item) for item in json.loads(line)]) + "\n")
            responses.flush()


def main():
    sys.setrecursionlimit(10000)
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3])
        return
    items = json.load(sys.stdin)
    json.dump([run(item) for item in items], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
