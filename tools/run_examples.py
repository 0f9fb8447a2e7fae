"""Run pytorch/examples under real torch and under mstorch, and compare them.

    python tools/run_examples.py /path/to/examples [--only mnist,gat] [--markdown out.md]

Each example is copied into a fresh folder per runtime, given small synthetic data in the
format it reads (tools/examples_data.py), and run as `python <script> ...` (real torch) and
`python -m mstorch <script> ...` (mstorch) with a time limit. The metrics each prints
(loss, accuracy, ppl, ...) are compared: seeded examples must print the same numbers.
"""
import argparse
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import examples_env  # noqa: E402
import examples_specs  # noqa: E402

METRIC = re.compile(
    r"(?i)(?<![\w(])(loss(?:_train|_val|_d|_g)?|acc(?:_train|_val|uracy|@1|@5)?|error|ppl|psnr"
    r"|content|style|total|d\(x\)|d\(g\(z\)\))\s*[:=]?\s*\(?\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)")
ERROR_LINE = re.compile(r"^\w*(Error|Exception|Interrupt)\b|^\w+\.\w+(Error|Exception)\b")


def metrics(text):
    """(name, printed number) pairs in order; wall-time fields are not metrics."""
    return [(m.group(1).lower(), m.group(2)) for m in METRIC.finditer(text)]


def first_error(text):
    """The exception line of the last traceback, with the innermost frame it came from."""
    lines = text.splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if ERROR_LINE.match(lines[i].strip()):
            where = next((lines[j].strip() for j in range(i - 1, -1, -1)
                          if lines[j].strip().startswith('File "')), "")
            return lines[i].strip() + (f"  [{where}]" if where else "")
    tail = [ln for ln in lines if ln.strip()]
    return tail[-1].strip() if tail else ""


def _rss_gb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            kb = next((int(ln.split()[1]) for ln in f if ln.startswith("VmRSS:")), 0)
    except OSError:
        return 0.0
    return kb / 2 ** 20


def _run_step(cmd, cwd, env, limit, stop_after, max_rss_gb):
    """Run one command, capturing stdout+stderr; end it early once `stop_after` is seen."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True)
    out, seen, stopped, timed_out = [], 0, False, False
    pattern = re.compile(stop_after[0]) if stop_after else None
    deadline = start + limit

    def _kill(_sig=None, _frm=None):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    over_memory = []

    def _watch_memory():
        # The machine is shared: a run that balloons (gat/gcn under mstorch reached 22 GB and
        # drew the OOM killer) is ended here before it takes other people's processes along.
        while proc.poll() is None:
            if _rss_gb(proc.pid) > max_rss_gb:
                over_memory.append(True)
                _kill()
                return
            time.sleep(0.5)

    threading.Thread(target=_watch_memory, daemon=True).start()
    old = signal.signal(signal.SIGALRM, _kill)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        for line in proc.stdout:
            out.append(line)
            if pattern and pattern.search(line):
                seen += 1
                if seen >= stop_after[1]:
                    stopped = True
                    _kill()
                    break
        proc.wait()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - start
    if not stopped and time.monotonic() >= deadline - 0.05:
        timed_out = True
    ok = stopped or (proc.returncode == 0 and not timed_out)
    text = "".join(out) + (f"\n[killed: past the {limit:.0f} s limit]\n" if timed_out else "")
    if over_memory:
        text += f"\n[killed: resident memory above {max_rss_gb:g} GB]\n"
    elif not stopped and not timed_out and proc.returncode and proc.returncode < 0:
        # No traceback to show: say what ended it (SIGKILL here is most often the OOM killer).
        text += f"\n[died of signal {signal.Signals(-proc.returncode).name}]\n"
    return ok, elapsed, text


def run_example(ex, checkout, mode, work, sites, limit, max_rss_gb=6.0):
    """Run every step of one example under one runtime. Returns a result dict."""
    run_dir = os.path.join(work, "runs", mode, re.sub(r"\W+", "_", ex.name))
    shutil.rmtree(run_dir, ignore_errors=True)
    ex_dir = os.path.join(run_dir, "ex")
    shutil.copytree(os.path.join(checkout, ex.folder), ex_dir)
    urls = {}
    if ex.prepare:
        ex.prepare(run_dir, ex_dir, urls)
    env = examples_env.run_env(mode, work, sites["oracle"], sites["deps"], sites["home"], urls)
    env.update(ex.env)
    launcher = [sys.executable] + (["-m", "mstorch"] if mode == "mstorch" else [])
    total, log, ok = 0.0, [], True
    for step in ex.steps:
        if step.before:
            step.before(run_dir, ex_dir)
        args = step.args(ex_dir) if callable(step.args) else list(step.args)
        cmd = launcher + [step.script] + list(args)
        log.append(f"$ {' '.join(cmd[1:])}\n")
        step_ok, elapsed, text = _run_step(cmd, ex_dir, env, limit, step.stop_after, max_rss_gb)
        total += elapsed
        log.append(text)
        if not step_ok:
            ok = False
            break
    text = "".join(log)
    files = {}
    for name in ex.compare_files:
        path = os.path.join(ex_dir, name)
        files[name] = open(path, encoding="utf8", errors="replace").read() if os.path.isfile(path) else None
    with open(os.path.join(run_dir, "output.log"), "w") as f:
        f.write(text)
    return dict(ok=ok, time=total, text=text, metrics=metrics(text), files=files,
                error="" if ok else first_error(text), log=os.path.join(run_dir, "output.log"))


def compare(ex, ref, got):
    """'same', 'close (max rel diff ...)', 'differ: ...', or why no comparison is made."""
    if not (ref["ok"] and got["ok"]):
        return "-"
    a, b = ref["metrics"], got["metrics"]
    if not ex.seeded:
        finite = all(math.isfinite(float(v)) for _, v in b)
        return f"unseeded; {len(b)} metrics, {'all finite' if finite else 'NOT finite'}"
    if not a:
        return "no metrics printed"
    if [k for k, _ in a] != [k for k, _ in b]:
        return f"differ: {len(a)} vs {len(b)} metrics printed"
    worst = 0.0
    for (_, x), (_, y) in zip(a, b):
        if x != y:
            fx, fy = float(x), float(y)
            worst = max(worst, abs(fx - fy) / max(abs(fx), abs(fy), 1e-12))
    files_same = all(ref["files"][n] == got["files"][n] for n in ex.compare_files)
    extra = "" if files_same else f"; {', '.join(ex.compare_files)} differ"
    if worst == 0.0:
        return f"same ({len(a)} numbers){extra}"
    first = next((x, y) for (_, x), (_, y) in zip(a, b) if x != y)
    kind = "close" if worst < 1e-3 else "differ"
    return f"{kind}: max rel diff {worst:.1e}, first {first[0]} vs {first[1]}{extra}"


def _cell(r):
    return f"{'ok' if r['ok'] else 'FAIL'} {r['time']:.1f}s"


def table(rows):
    head = ["example", "torch", "mstorch", "same numbers?", "first error (mstorch, else torch)"]
    body = [[ex.name, _cell(t), _cell(m), compare(ex, t, m), m["error"] or t["error"]] for ex, t, m in rows]
    return head, body


def markdown(head, body, not_run, header_lines):
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    out = list(header_lines) + ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in body]
    out += ["", "Not run:", ""] + [f"- **{k}**: {v}" for k, v in not_run.items()]
    return "\n".join(out) + "\n"


def plain(head, body):
    widths = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head) - 1)]
    fmt = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + str(r[-1])  # noqa: E731
    return "\n".join([fmt(head)] + [fmt(r) for r in body])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("checkout", help="path of a pytorch/examples checkout")
    p.add_argument("--only", default="", help="comma-separated example names (default: all)")
    p.add_argument("--runtimes", default="torch,mstorch", help="torch, mstorch or both")
    p.add_argument("--limit", type=float, default=600, help="seconds per step (default 600)")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "mstorch_examples"),
                   help="folder for copies, data and the oracle's packages (kept between runs)")
    p.add_argument("--max-rss-gb", type=float, default=6.0,
                   help="end a run whose resident memory passes this (default 6 GB)")
    p.add_argument("--markdown", help="also write the table as Markdown here")
    a = p.parse_args(argv)
    checkout = os.path.abspath(a.checkout)
    if not os.path.isdir(os.path.join(checkout, "mnist")):
        p.error(f"{checkout} does not look like a pytorch/examples checkout (no mnist/)")
    chosen = examples_specs.by_name(a.only) if a.only else examples_specs.EXAMPLES
    modes = [m.strip() for m in a.runtimes.split(",") if m.strip()]
    if not set(modes) <= {"torch", "mstorch"}:
        p.error("--runtimes takes torch and/or mstorch")
    os.makedirs(a.work, exist_ok=True)
    oracle = examples_env.oracle_site(a.work)
    sites = dict(oracle=oracle, deps=examples_env.deps_site(a.work),
                 home=examples_env.torch_home(a.work, oracle))
    skipped = dict(ok=False, time=0.0, text="", metrics=[], files={}, error="not run", log="")
    rows = []
    for ex in chosen:
        res = {}
        for mode in ("torch", "mstorch"):
            res[mode] = run_example(ex, checkout, mode, a.work, sites, a.limit, a.max_rss_gb) if mode in modes else skipped
            r = res[mode]
            print(f"[{mode:7}] {ex.name}: {_cell(r)} {r['error']}  (log: {r['log']})", flush=True)
        rows.append((ex, res["torch"], res["mstorch"]))
    head, body = table(rows)
    print()
    print(plain(head, body))
    print("\nNot run:\n" + "\n".join(f"  {k}: {v}" for k, v in examples_specs.NOT_RUN.items()))
    if a.markdown:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        head_lines = [f"Load average while running (1/5/15 min, end of run): {' '.join(load)}; "
                      f"{os.cpu_count()} CPUs, shared."]
        with open(a.markdown, "w") as f:
            f.write(markdown(head, body, examples_specs.NOT_RUN, head_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
