"""Runs bar programs in one interpreter (each as __main__, its stdout captured) and prints
{program: its JSON output or the error} — one start-up instead of one per program."""
import contextlib
import io
import json
import os
import runpy
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
results = {}
for name in sys.argv[1:]:
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            runpy.run_path(os.path.join(HERE, name + ".py"), run_name="__main__")
        results[name] = {"out": json.loads(buf.getvalue().strip().splitlines()[-1])}
    except BaseException:  # noqa: B036 (a program's SystemExit is reported too)
        results[name] = {"error": traceback.format_exc()[-3000:], "stdout": buf.getvalue()[-1000:]}
print("BAR-RESULTS " + json.dumps(results))
