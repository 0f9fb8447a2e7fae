"""Turn MindSpore's exceptions (C++ traces, its own wording) into PyTorch-style errors."""
from ops_table.common.worded import is_worded


def translate_kernel_error(op_name, exc):
    if isinstance(exc, (NotImplementedError, IndexError, KeyboardInterrupt)) or is_worded(exc):
        return exc
    text = str(exc).strip()
    # MindSpore appends C++ call stacks and separator lines; users get the first sentence.
    for cut in ("\n\n", "\n---", "\n- C++ Call Stack", "\n----", "\n[CRITICAL]"):
        pos = text.find(cut)
        if pos > 0:
            text = text[:pos]
    first = text.splitlines()[0] if text else type(exc).__name__
    return RuntimeError(f"{op_name}: {first}")
