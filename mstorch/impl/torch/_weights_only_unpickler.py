"""The unpickler behind `torch.load(weights_only=True)`.

A checkpoint is a pickle, and a pickle is a program: an ordinary unpickler imports
and calls whatever the file names.  This one interprets the opcodes itself and lets
a file name only the globals on an allow-list (tensor rebuild functions, dtypes,
containers) plus those the user added with `torch.serialization.add_safe_globals`.
Everything else is refused with `pickle.UnpicklingError` before it is imported.

Malformed input (truncated or flipped bytes) must end in an UnpicklingError too,
never in an IndexError from deep inside, so every structural check raises it.
"""
import _compat_pickle
import codecs
import collections
import pickle
import struct
import sys
from pickle import UnpicklingError

_user_globals = {}          # "module.name" -> object


def _qualified(obj):
    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if module is None or name is None:
        raise TypeError(f"cannot allow-list {obj!r}: it has no __module__/__qualname__; pass (obj, 'module.name')")
    return f"{module}.{name}"


def _public_names(obj):
    """The names a checkpoint may use for `obj`: its own path and, for mstorch's
    implementation of a torch API, the torch path that real PyTorch writes."""
    own = _qualified(obj)
    names = [own]
    if own.startswith("mstorch.impl.torch."):
        names.append(own[len("mstorch.impl."):])
    return names


def add(entries):
    for entry in entries:
        if isinstance(entry, tuple):
            if len(entry) != 2 or not isinstance(entry[1], str):
                raise TypeError("safe globals must be objects or (object, 'module.name') pairs")
            _user_globals[entry[1]] = entry[0]
        else:
            for n in _public_names(entry):
                _user_globals[n] = entry


def user_globals():
    return _user_globals


_ALLOWED = None


def allowed_globals():
    """The default allow-list, built on first use (it needs mstorch's torch namespace)."""
    global _ALLOWED
    if _ALLOWED is None:
        from dispatch import Tensor, dtypes
        from dispatch.device import device
        from dispatch.size import Size
        from mstorch.impl.torch import serialization as ser
        from mstorch.impl.torch.nn.parameter import Parameter
        rc = {
            "collections.OrderedDict": collections.OrderedDict,
            "collections.Counter": collections.Counter,
            "torch.nn.parameter.Parameter": Parameter,
            "torch.serialization._get_layout": ser._get_layout,
            "torch.Size": Size,
            "torch.Tensor": Tensor,
            "torch.device": device,
            "_codecs.encode": codecs.encode,       # protocol-2 pickles spell bytes this way
            "builtins.bytearray": bytearray,
            "builtins.set": set,
            "builtins.complex": complex,
        }
        for d in dtypes.ALL:
            rc[repr(d)] = d
        for name in ser.STORAGE_TYPE_NAMES:
            rc[f"torch.{name}"] = ser.storage_type(name)
        rc["torch.storage.UntypedStorage"] = ser.storage_type("UntypedStorage")
        rc["torch.UntypedStorage"] = ser.storage_type("UntypedStorage")
        for f in ser.TENSOR_REBUILDERS:
            rc[f"torch._utils.{f.__name__}"] = f
        rc["torch._tensor._rebuild_from_type_v2"] = ser._rebuild_from_type_v2
        _ALLOWED = rc
    return _ALLOWED


def _unsupported_global(full):
    shown = full[len("builtins."):] if full.startswith("builtins.") else full
    return UnpicklingError(
        f"Unsupported global: GLOBAL {shown} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{shown}])` or the `torch.serialization.safe_globals([{shown}])` "
        "context manager to allowlist this global if you trust this class/function.")


class Unpickler:
    """Interprets pickle opcodes against an allow-list; see the module docstring."""

    def __init__(self, file, *, encoding="bytes", persistent_load=None):
        self.read = file.read
        self.readline = file.readline
        self.encoding = encoding
        self.persistent_load = persistent_load
        self.memo = {}

    # -- helpers ---------------------------------------------------------------------
    def _need(self, n):
        data = self.read(n)
        if len(data) != n:
            raise UnpicklingError("pickle data was truncated")
        return data

    def _line(self):
        line = self.readline()
        if not line.endswith(b"\n"):
            raise UnpicklingError("pickle data was truncated")
        return line[:-1]

    def _pop(self):
        if not self.stack:
            raise UnpicklingError("unpickling stack underflow")
        return self.stack.pop()

    def _top(self):
        if not self.stack:
            raise UnpicklingError("unpickling stack underflow")
        return self.stack[-1]

    def _pop_mark(self):
        if not self.metastack:
            raise UnpicklingError("could not find MARK")
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def _string(self, data):
        if self.encoding == "bytes":
            return data
        try:
            return data.decode(self.encoding, "strict")
        except (UnicodeDecodeError, LookupError) as e:
            raise UnpicklingError(f"could not decode a string: {e}") from None

    def _unicode(self, data):
        try:
            return str(data, "utf-8", "surrogatepass")
        except UnicodeDecodeError as e:
            raise UnpicklingError(f"invalid UTF-8 in pickle data: {e}") from None

    def _global(self, module, name):
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        allowed = allowed_globals()
        if full in allowed:
            return allowed[full]
        if full in _user_globals:
            return _user_globals[full]
        raise _unsupported_global(full)

    def _is_allowed(self, obj):
        return (any(obj is v for v in allowed_globals().values())
                or any(obj is v for v in _user_globals.values()))

    # -- the interpreter ------------------------------------------------------------
    def load(self):
        self.stack = []
        self.metastack = []
        try:
            return self._run()
        except (UnpicklingError, RecursionError, MemoryError):
            raise
        except (IndexError, KeyError, struct.error, TypeError, ValueError, OverflowError, AttributeError) as e:
            # A malformed file must not surface as a random Python error from the interpreter.
            raise UnpicklingError(f"malformed pickle data ({type(e).__name__}: {e})") from None

    def _run(self):
        read = self._need
        from mstorch.impl.torch.nn.parameter import Parameter
        from dispatch import Tensor
        while True:
            key = self.read(1)
            if not key:
                raise EOFError("Ran out of input")
            op = key[0]
            stack = self.stack
            if op == 0x80:                                   # PROTO
                proto = read(1)[0]
                if proto > pickle.HIGHEST_PROTOCOL:
                    raise UnpicklingError(f"unsupported pickle protocol: {proto}")
            elif op == 0x95:                                 # FRAME: framing is only a read-ahead hint
                read(8)
            elif op == 0x2e:                                 # STOP
                return self._pop()
            elif op == 0x28:                                 # MARK
                self.metastack.append(stack)
                self.stack = []
            elif op == 0x30:                                 # POP
                self._pop()
            elif op == 0x31:                                 # POP_MARK
                self._pop_mark()
            elif op == 0x32:                                 # DUP
                stack.append(self._top())
            elif op == 0x4e:                                 # NONE
                stack.append(None)
            elif op == 0x88:
                stack.append(True)
            elif op == 0x89:
                stack.append(False)
            elif op == 0x4a:                                 # BININT
                stack.append(struct.unpack("<i", read(4))[0])
            elif op == 0x4b:                                 # BININT1
                stack.append(read(1)[0])
            elif op == 0x4d:                                 # BININT2
                stack.append(struct.unpack("<H", read(2))[0])
            elif op == 0x49:                                 # INT (text)
                line = self._line()
                stack.append({b"00": False, b"01": True}.get(line) if line in (b"00", b"01") else int(line))
            elif op == 0x4c:                                 # LONG (text)
                line = self._line()
                stack.append(int(line[:-1] if line.endswith(b"L") else line))
            elif op == 0x8a:                                 # LONG1
                n = read(1)[0]
                stack.append(int.from_bytes(read(n), "little", signed=True))
            elif op == 0x8b:                                 # LONG4
                n = struct.unpack("<i", read(4))[0]
                if n < 0:
                    raise UnpicklingError("LONG pickle has negative byte count")
                stack.append(int.from_bytes(read(n), "little", signed=True))
            elif op == 0x47:                                 # BINFLOAT
                stack.append(struct.unpack(">d", read(8))[0])
            elif op == 0x46:                                 # FLOAT (text)
                stack.append(float(self._line()))
            elif op == 0x58:                                 # BINUNICODE
                n = struct.unpack("<I", read(4))[0]
                stack.append(self._unicode(read(n)))
            elif op == 0x8c:                                 # SHORT_BINUNICODE
                stack.append(self._unicode(read(read(1)[0])))
            elif op == 0x8d:                                 # BINUNICODE8
                n = struct.unpack("<Q", read(8))[0]
                if n > sys.maxsize:
                    raise UnpicklingError("BINUNICODE8 exceeds system's maximum size")
                stack.append(self._unicode(read(n)))
            elif op == 0x55:                                 # SHORT_BINSTRING (Python 2 str)
                stack.append(self._string(read(read(1)[0])))
            elif op == 0x54:                                 # BINSTRING
                n = struct.unpack("<i", read(4))[0]
                if n < 0:
                    raise UnpicklingError("BINSTRING pickle has negative byte count")
                stack.append(self._string(read(n)))
            elif op == 0x43:                                 # SHORT_BINBYTES
                stack.append(bytes(read(read(1)[0])))
            elif op == 0x42:                                 # BINBYTES
                stack.append(bytes(read(struct.unpack("<I", read(4))[0])))
            elif op == 0x8e:                                 # BINBYTES8
                n = struct.unpack("<Q", read(8))[0]
                if n > sys.maxsize:
                    raise UnpicklingError("BINBYTES8 exceeds system's maximum size")
                stack.append(bytes(read(n)))
            elif op == 0x96:                                 # BYTEARRAY8
                n = struct.unpack("<Q", read(8))[0]
                if n > sys.maxsize:
                    raise UnpicklingError("BYTEARRAY8 exceeds system's maximum size")
                stack.append(bytearray(read(n)))
            elif op == 0x29:                                 # EMPTY_TUPLE
                stack.append(())
            elif op == 0x74:                                 # TUPLE
                items = self._pop_mark()
                self.stack.append(tuple(items))
            elif op in (0x85, 0x86, 0x87):                   # TUPLE1..3
                n = op - 0x84
                if len(stack) < n:
                    raise UnpicklingError("unpickling stack underflow")
                stack[-n:] = [tuple(stack[-n:])]
            elif op == 0x5d:                                 # EMPTY_LIST
                stack.append([])
            elif op == 0x6c:                                 # LIST
                items = self._pop_mark()
                self.stack.append(list(items))
            elif op == 0x61:                                 # APPEND
                item = self._pop()
                target = self._top()
                if type(target) is not list:
                    raise UnpicklingError(f"Can only append to lists, but got {type(target)}")
                target.append(item)
            elif op == 0x65:                                 # APPENDS
                items = self._pop_mark()
                target = self._top()
                if type(target) is not list:
                    raise UnpicklingError(f"Can only extend lists, but got {type(target)}")
                target.extend(items)
            elif op == 0x7d:                                 # EMPTY_DICT
                stack.append({})
            elif op == 0x64:                                 # DICT
                items = self._pop_mark()
                if len(items) % 2:
                    raise UnpicklingError("odd number of items for DICT")
                self.stack.append({items[i]: items[i + 1] for i in range(0, len(items), 2)})
            elif op == 0x73:                                 # SETITEM
                v = self._pop()
                k = self._pop()
                self._dict_target("SETITEM")[k] = v
            elif op == 0x75:                                 # SETITEMS
                items = self._pop_mark()
                if len(items) % 2:
                    raise UnpicklingError("odd number of items for SETITEMS")
                target = self._dict_target("SETITEMS")
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif op == 0x8f:                                 # EMPTY_SET
                stack.append(set())
            elif op == 0x90:                                 # ADDITEMS
                items = self._pop_mark()
                target = self._top()
                if type(target) is not set:
                    raise UnpicklingError(f"Can only add items to sets, but got {type(target)}")
                target.update(items)
            elif op == 0x91:                                 # FROZENSET
                self.stack.append(frozenset(self._pop_mark()))
            elif op == 0x68:                                 # BINGET
                self._get(read(1)[0])
            elif op == 0x6a:                                 # LONG_BINGET
                self._get(struct.unpack("<I", read(4))[0])
            elif op == 0x67:                                 # GET (text)
                self._get(int(self._line()))
            elif op == 0x71:                                 # BINPUT
                self.memo[read(1)[0]] = self._top()
            elif op == 0x72:                                 # LONG_BINPUT
                self.memo[struct.unpack("<I", read(4))[0]] = self._top()
            elif op == 0x70:                                 # PUT (text)
                self.memo[int(self._line())] = self._top()
            elif op == 0x94:                                 # MEMOIZE
                self.memo[len(self.memo)] = self._top()
            elif op == 0x63:                                 # GLOBAL
                module = self._unicode(self._line())
                name = self._unicode(self._line())
                stack.append(self._global(module, name))
            elif op == 0x93:                                 # STACK_GLOBAL
                name = self._pop()
                module = self._pop()
                if type(name) is not str or type(module) is not str:
                    raise UnpicklingError("STACK_GLOBAL requires str")
                self.stack.append(self._global(module, name))
            elif op == 0x52:                                 # REDUCE
                args = self._pop()
                func = self._top()
                if not self._is_allowed(func):
                    raise UnpicklingError(f"Trying to call reduce for unrecognized function {func!r}")
                if type(args) is not tuple:
                    raise UnpicklingError("REDUCE arguments must be a tuple")
                self.stack[-1] = func(*args)
            elif op == 0x81:                                 # NEWOBJ
                args = self._pop()
                cls = self._pop()
                if type(args) is not tuple:
                    raise UnpicklingError("NEWOBJ arguments must be a tuple")
                if cls is Parameter:
                    self.stack.append(Parameter(*args))
                elif isinstance(cls, type) and self._is_allowed(cls):
                    self.stack.append(cls.__new__(cls, *args))
                else:
                    raise UnpicklingError("Can only create new object for nn.Parameter or classes allowlisted "
                                          f"via `add_safe_globals` but got {cls!r}")
            elif op == 0x62:                                 # BUILD
                state = self._pop()
                inst = self._top()
                self._build(inst, state, Tensor, Parameter)
            elif op == 0x51:                                 # BINPERSID
                pid = self._pop()
                if type(pid) is not tuple and type(pid) is not int:
                    raise UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
                if type(pid) is tuple and (not pid or _ascii(pid[0]) != "storage"):
                    raise UnpicklingError("Only persistent_load of storage is allowed")
                if self.persistent_load is None:
                    raise UnpicklingError("unsupported persistent id encountered")
                self.stack.append(self.persistent_load(pid))
            else:
                raise UnpicklingError(f"Unsupported operand {op}")

    def _get(self, idx):
        if idx not in self.memo:
            raise UnpicklingError(f"Memo value not found at index {idx}")
        self.stack.append(self.memo[idx])

    def _dict_target(self, opcode):
        target = self._top()
        if type(target) not in (dict, collections.OrderedDict, collections.Counter):
            raise UnpicklingError(f"Can only {opcode} for dict, collections.OrderedDict, collections.Counter, "
                                  f"but got {type(target)}")
        return target

    def _build(self, inst, state, Tensor, Parameter):
        if type(inst) is collections.OrderedDict:
            if not isinstance(state, dict):
                raise UnpicklingError("OrderedDict state must be a dict")
            inst.__dict__.update(state)
        elif isinstance(inst, Tensor) and (type(inst) in (Tensor, Parameter) or self._is_allowed(type(inst))):
            # Every tensor's state goes through _set_tensor_state, which keeps a file's attribute
            # names away from mstorch's own tensor state; only a subclass's own __setstate__ is
            # trusted with it instead (the user allow-listed that class).
            if type(inst) not in (Tensor, Parameter) and getattr(type(inst), "__setstate__", None) is not None:
                inst.__setstate__(state)
            else:
                from mstorch.impl.torch.serialization._rebuild import _set_tensor_state
                _set_tensor_state(inst, state)
        elif self._is_allowed(type(inst)):
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:
                slots = None
                if isinstance(state, tuple) and len(state) == 2:
                    state, slots = state
                if state:
                    inst.__dict__.update(state)
                if slots:
                    for k, v in slots.items():
                        setattr(inst, k, v)
        else:
            raise UnpicklingError("Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                                  f"`add_safe_globals`, but got {type(inst)}")


def _ascii(s):
    return s.decode("ascii") if isinstance(s, bytes) else s


def globals_in_pickle(data):
    """Every 'module.name' a pickle refers to (for get_unsafe_globals_in_checkpoint)."""
    import pickletools
    found, strings = set(), []
    for op, arg, _pos in pickletools.genops(data):
        if op.name == "GLOBAL":
            module, name = arg.split(" ", 1)
            found.add(f"{module}.{name}")
        elif op.name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE"):
            strings.append(arg)
        elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
            found.add(f"{strings[-2]}.{strings[-1]}")
    return found

