"""`python -m mstorch [options] (script.py | -m module | -c code | -) [args...]`.

Runs the target exactly as `python` would run it — `sys.argv`, `sys.path[0]`, a fresh
`__main__` module, exit status, `SystemExit`, tracebacks that start at the user's
code — with the import hook enabled. MSTORCH_ENABLE=1 is exported so that child
interpreters (multiprocessing spawn/forkserver, subprocess) enable it as well.
"""
import builtins
import importlib.machinery
import os
import runpy
import sys
import types

import mstorch
from mstorch.version import SERVED_VERSIONS, __version__

USAGE = """\
usage: python -m mstorch [option] (script.py | -m module | -c code | -) [args...]

Runs a PyTorch program unmodified on MindSpore: `import torch` and `import torchvision`
(in the program and in every library it imports) are served by mstorch.

options:
  -h, --help     show this message and exit
  --cuda-to-cpu  serve every CUDA request ('cuda', .cuda(), torch.cuda.*) with the CPU, so
                 GPU-only scripts run on a CPU-only host (sets MSTORCH_CUDA_TO_CPU=1)
  --report FILE  at exit, write the migration report to FILE: the torch names the program
                 asked for that mstorch lacks, and each op it ran with its call count and
                 kernel (JSON if FILE ends in .json, text otherwise; sets MSTORCH_REPORT)
  --version      show the mstorch version and exit
  -m module      run a library module as a script (like python -m)
  -c code        run code given as a string (like python -c)
  -              read the program from standard input
"""


class _UsageError(Exception):
    pass


def _parse(argv, options=None):
    """(kind, target, args) for kind in script/module/code/stdin/help/version."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return "help", None, []
        if arg == "--version":
            return "version", None, []
        if arg == "--cuda-to-cpu":
            if options is not None:
                options["cuda_to_cpu"] = True
            i += 1
            continue
        if arg == "--report" or arg.startswith("--report="):
            path = arg.partition("=")[2] if "=" in arg else (argv[i + 1] if i + 1 < len(argv) else "")
            if not path:
                raise _UsageError("--report needs a file name")
            if options is not None:
                options["report"] = path
            i += 1 if "=" in arg else 2
            continue
        if arg in ("-m", "-c"):
            if i + 1 >= len(argv):
                raise _UsageError(f"argument expected for the {arg} option")
            return ("module" if arg == "-m" else "code"), argv[i + 1], argv[i + 2:]
        if arg == "-":
            return "stdin", None, argv[i + 1:]
        if arg == "--":
            i += 1
            break
        if arg.startswith("-"):
            raise _UsageError(f"unknown option {arg}")
        break
    if i >= len(argv):
        raise _UsageError("nothing to run: give a script, -m module or -c code")
    return ("stdin" if argv[i] == "-" else "script"), argv[i], argv[i + 1:]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = {}
        kind, target, args = _parse(argv, options)
    except _UsageError as exc:
        sys.stderr.write(f"mstorch: {exc}\n{USAGE}")
        return 2
    if kind == "help":
        sys.stdout.write(USAGE)
        return 0
    if kind == "version":
        print(f"mstorch {__version__} (torch API {SERVED_VERSIONS['torch']})")
        return 0

    os.environ["MSTORCH_ENABLE"] = "1"
    if options.get("cuda_to_cpu"):
        # Exported before anything imports dispatch, so child interpreters inherit it too.
        os.environ["MSTORCH_CUDA_TO_CPU"] = "1"
    if options.get("report"):
        # Read where the dispatcher is first imported (it counts only when asked) and by enable().
        os.environ["MSTORCH_REPORT"] = os.path.abspath(options["report"])
    mstorch.enable()
    try:
        return _RUNNERS[kind](target, args)
    except SystemExit:
        raise
    except BaseException as exc:
        _report_uncaught(exc)
        raise


def _fresh_main(**attrs):
    """A new `__main__` module, as the interpreter makes one at start-up."""
    module = types.ModuleType("__main__")
    module.__dict__.update(__annotations__={}, __builtins__=builtins, __doc__=None, __package__=None,
                           __spec__=None, __loader__=importlib.machinery.BuiltinImporter)
    module.__dict__.update(attrs)
    sys.modules["__main__"] = module
    return module


def _set_path0(entry):
    # `python -P` (safe_path) puts nothing in front of sys.path; there is nothing to replace.
    if not getattr(sys.flags, "safe_path", False):
        sys.path[0] = entry


def _run_script(path, args):
    if os.path.isdir(path) or _is_zip(path):
        # A directory or zip with __main__.py runs like `python dir`.
        _set_path0(os.path.abspath(path))
        return _run_module("__main__", args, argv0=path)
    full = os.path.abspath(path)
    try:
        with open(full, "rb") as f:
            source = f.read()
    except OSError as exc:
        program = (getattr(sys, "orig_argv", None) or [sys.executable])[0]
        sys.stderr.write(f"{program}: can't open file {full!r}: [Errno {exc.errno}] {exc.strerror}\n")
        return 2
    sys.argv[:] = [path, *args]
    _set_path0(os.path.dirname(os.path.realpath(full)))
    main = _fresh_main(__file__=full, __cached__=None,
                       __loader__=importlib.machinery.SourceFileLoader("__main__", full))
    exec(compile(source, full, "exec", dont_inherit=True), main.__dict__)
    return 0


def _is_zip(path):
    import zipfile
    return os.path.isfile(path) and zipfile.is_zipfile(path)


def _run_module(name, args, argv0="-m"):
    sys.argv[:] = [argv0, *args]
    if argv0 == "-m":
        _set_path0(os.getcwd())
    _fresh_main()
    name = _served_module_source(name)
    # runpy's private entry point is what `python -m` itself calls: same lookup,
    # same error messages, same `__main__` set-up.
    runpy._run_module_as_main(name, alter_argv=argv0 == "-m")
    return 0


def _served_module_source(name):
    """`-m torch.distributed.run` runs mstorch's implementation of that module: the served
    `torch.*` modules are proxies without code of their own."""
    from mstorch import proxy
    if not proxy.serves(name):
        return name
    spec = proxy._impl_spec(name)
    if spec is None or spec.submodule_search_locations is not None:
        return name
    return proxy.IMPL_PREFIX + name


def _run_source(source, filename, argv0, args, **attrs):
    sys.argv[:] = [argv0, *args]
    _set_path0("")
    main = _fresh_main(**attrs)
    exec(compile(source, filename, "exec", dont_inherit=True), main.__dict__)
    return 0


_RUNNERS = {
    "script": _run_script,
    "module": _run_module,
    "code": lambda code, args: _run_source(code, "<string>", "-c", args),
    # Python names a program read from stdin "<stdin>", __file__ included.
    "stdin": lambda _, args: _run_source(sys.stdin.read(), "<stdin>", "-", args,
                                         __file__="<stdin>", __cached__=None),
}


def _report_uncaught(exc):
    """Print `exc` as the interpreter would, without mstorch's own frames on top.

    The exception is then re-raised so the interpreter still decides the exit
    (status 1, or death by SIGINT after KeyboardInterrupt); the hook it would print
    with is silenced for that one last report.
    """
    ours = _report_uncaught.__code__.co_filename
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == ours:
        tb = tb.tb_next
    hook = sys.excepthook
    sys.excepthook = _silent
    # The default hook prints the exception's own __traceback__, not the argument.
    hook(type(exc), exc.with_traceback(tb), tb)


def _silent(*_):
    pass
