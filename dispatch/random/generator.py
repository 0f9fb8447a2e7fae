"""The CPU generator engine: PyTorch's ``CPUGeneratorImpl`` state (NumPy only).

PyTorch's CPU generator is a 32-bit Mersenne twister with PyTorch's own
seeding (``init_genrand`` on the low 32 bits of the seed) and lazy twisting,
plus two one-slot Box-Muller caches. NumPy's ``MT19937`` bit generator runs the
same recurrence and tempering, so we keep the 624-word key in it and let its C
loop produce the raw stream; everything PyTorch-specific (seeding, the
``left_``/``next_`` bookkeeping, the byte layout of the state) lives here.
``torch.Generator`` (torch_generator.py) is this engine with torch's face.
"""

import os
import struct
import threading

import numpy as np

__all__ = ["HostGenerator", "DEFAULT_RNG_SEED", "STATE_SIZE", "nondeterministic_seed"]

# at::default_rng_seed_val: what torch.Generator() starts from.
DEFAULT_RNG_SEED = 67280421310721

_N = 624  # MERSENNE_STATE_N
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF

# sizeof(CPUGeneratorImplState) on LP64: the legacy POD (u64 seed, int left,
# int seeded, u64 next, u64 state[624], double normal_x/_y/_rho, int
# normal_is_valid + 4 bytes padding) followed by float next_float_normal_sample,
# bool is_valid and 3 bytes padding.
_OFF_SEED = 0
_OFF_LEFT = 8
_OFF_SEEDED = 12
_OFF_NEXT = 16
_OFF_STATE = 24
_OFF_NORMAL_X = _OFF_STATE + 8 * _N          # 5016
_OFF_NORMAL_Y = _OFF_NORMAL_X + 8            # 5024
_OFF_NORMAL_RHO = _OFF_NORMAL_Y + 8          # 5032
_OFF_NORMAL_VALID = _OFF_NORMAL_RHO + 8      # 5040
_OFF_FLOAT_SAMPLE = _OFF_NORMAL_VALID + 8    # 5048 (int + padding)
_OFF_FLOAT_VALID = _OFF_FLOAT_SAMPLE + 4     # 5052
STATE_SIZE = _OFF_FLOAT_VALID + 4            # 5056


def _init_genrand(seed32):
    """Key of ``at::mt19937(seed)``: Knuth's multiplier recurrence.

    Written out rather than borrowed from NumPy's private ``_legacy_seeding``
    so that seeding does not depend on a private NumPy API.
    """
    key = [0] * _N
    s = seed32 & _MASK32
    key[0] = s
    for j in range(1, _N):
        s = (1812433253 * (s ^ (s >> 30)) + j) & _MASK32
        key[j] = s
    return np.array(key, dtype=np.uint32)


def _temper(y):
    y = y.astype(np.uint32, copy=True)
    y ^= y >> np.uint32(11)
    y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
    y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
    y ^= y >> np.uint32(18)
    return y


def _unpack_seed(seed):
    """``THPGenerator_manualSeed``'s argument handling.

    Accepts Python ints (and objects with ``__index__`` other than bool, like
    NumPy integers), first as uint64 and, on overflow, as int64 whose bits are
    reinterpreted: -1 becomes 2**64 - 1.
    """
    if isinstance(seed, (bool, np.bool_)):
        raise RuntimeError("manual_seed expected a long, but got bool")
    if isinstance(seed, int):
        value = seed
    elif isinstance(seed, np.integer):
        # torch rejects NumPy scalars with "an integer is required"; being
        # stricter than needed would only annoy callers of the engine, so we
        # accept them as their integer value.
        value = int(seed)
    else:
        raise RuntimeError(
            "manual_seed expected a long, but got " + type(seed).__name__)
    if 0 <= value <= _MASK64:
        return value
    if -(1 << 63) <= value < 0:
        return value & _MASK64
    raise ValueError("Overflow when unpacking long long")


def nondeterministic_seed():
    # c10::detail::getNonDeterministicRandom on CPU: 64 bits of /dev/urandom.
    return int.from_bytes(os.urandom(8), "little")


class HostGenerator:
    """PyTorch's CPU generator state, with its state bytes as NumPy.

    The raw stream, seeding, ``initial_seed`` and the 5056-byte state are
    PyTorch's; ``get_state``/``set_state`` interoperate with real torch
    (``torch.Generator().set_state(torch.from_numpy(g.get_state()))``).
    ``state_bytes``/``load_state_bytes`` are the same two operations under
    names a subclass does not override.

    The stream kernels (ops_table/random/torch_streams) are handed a generator
    and use ``random32``/``random64`` and the two Box-Muller caches below,
    under ``lock`` (PyTorch holds the generator mutex for a whole kernel, so a
    kernel's draws are never interleaved with another thread's).
    """

    device = "cpu"

    def __init__(self, seed=DEFAULT_RNG_SEED):
        self._fresh_engine()
        self._set_seed(_unpack_seed(seed))

    # -- seeding -------------------------------------------------------------
    def _set_seed(self, seed64):
        with self.lock:
            self._seed = seed64
            self._bg.state = {
                "bit_generator": "MT19937",
                "state": {"key": _init_genrand(seed64), "pos": _N},
            }
            # at::mt19937's freshly seeded engine has left_=1, next_=0; after
            # draws that end a block it has left_=1, next_=624. NumPy keeps
            # only pos=624 for both, so remember what to report.
            self._next_when_exhausted = 0
            self._pending = None
            self._pending_next = 0
            self.next_float_normal_sample = None
            self.next_double_normal_sample = None

    def manual_seed(self, seed):
        """Seed like ``torch.Generator.manual_seed``; returns ``self``."""
        self._set_seed(_unpack_seed(seed))
        return self

    def seed(self):
        """Re-seed from ``/dev/urandom`` and return the seed (64 bits)."""
        s = nondeterministic_seed()
        self._set_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    # -- raw stream ----------------------------------------------------------
    def random32(self, n):
        """The next ``n`` raw 32-bit outputs (``CPUGeneratorImpl::random``)."""
        n = int(n)
        if n <= 0:
            return np.empty(0, np.uint32)
        with self.lock:
            self._next_when_exhausted = _N
            if self._pending is not None:
                return self._draw_with_pending(n)
            # For the full 32-bit range NumPy returns next_uint32 untouched,
            # i.e. exactly one raw MT output per element (checked by tests).
            return self._np.integers(0, 1 << 32, size=n, dtype=np.uint32)

    def _draw_with_pending(self, n):
        take = min(n, self._pending.size)
        head = self._pending[:take]
        self._pending = self._pending[take:]
        self._pending_next += take
        if self._pending.size == 0:
            self._pending = None
        if take == n:
            return head.copy()
        tail = self._np.integers(0, 1 << 32, size=n - take, dtype=np.uint32)
        return np.concatenate([head, tail])

    def random64(self, n):
        """``n`` values of ``CPUGeneratorImpl::random64``: two draws, the
        first one is the high word."""
        r = self.random32(2 * int(n)).astype(np.uint64)
        hi = r[0::2]
        hi <<= np.uint64(32)
        hi |= r[1::2]
        return hi

    # -- state ---------------------------------------------------------------
    def _engine_fields(self):
        st = self._bg.state["state"]
        key = np.asarray(st["key"], dtype=np.uint32)
        pos = int(st["pos"])
        if self._pending is not None:
            left = self._pending.size + 1
            nxt = self._pending_next
        elif pos >= _N:
            left = 1
            nxt = self._next_when_exhausted
        else:
            left = _N + 1 - pos
            nxt = pos
        return key, left, nxt

    def state_bytes(self):
        """PyTorch's ``CPUGeneratorImplState`` bytes as ``np.uint8[5056]``."""
        with self.lock:
            key, left, nxt = self._engine_fields()
            buf = bytearray(STATE_SIZE)
            struct.pack_into("<QiiQ", buf, 0, self._seed, left, 1, nxt)
            buf[_OFF_STATE:_OFF_NORMAL_X] = key.astype("<u8").tobytes()
            d = self.next_double_normal_sample
            if d is not None:
                struct.pack_into("<d", buf, _OFF_NORMAL_Y, float(d))
                struct.pack_into("<i", buf, _OFF_NORMAL_VALID, 1)
            f = self.next_float_normal_sample
            if f is not None:
                buf[_OFF_FLOAT_SAMPLE:_OFF_FLOAT_SAMPLE + 4] = (
                    np.float32(f).astype("<f4").tobytes())
                buf[_OFF_FLOAT_VALID] = 1
            return np.frombuffer(bytes(buf), dtype=np.uint8).copy()

    def load_state_bytes(self, new_state):
        """Load a state from ``state_bytes()`` here or from real torch.

        Validation and messages follow ``THPGenerator_setState`` and
        ``CPUGeneratorImpl::set_state``.
        """
        if not isinstance(new_state, np.ndarray):
            raise TypeError("expected a torch.ByteTensor, but got "
                            + _type_name(new_state))
        if new_state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if not new_state.flags.c_contiguous:
            raise RuntimeError("RNG state must be contiguous")
        if new_state.size != STATE_SIZE:
            raise RuntimeError(
                "Expected a CPUGeneratorImplState of size %d but found the "
                "input RNG state size to be %d" % (STATE_SIZE, new_state.size))
        raw = new_state.reshape(-1).tobytes()
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        # The legacy layout stores 64-bit words; at::mt19937 keeps uint32
        # (std::copy truncates), and next_ is cast to uint32.
        key = (np.frombuffer(raw, dtype="<u8", count=_N, offset=_OFF_STATE)
               & np.uint64(_MASK32)).astype(np.uint32)
        nxt &= _MASK32
        if not (seeded != 0 and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        normal_valid = struct.unpack_from("<i", raw, _OFF_NORMAL_VALID)[0]
        normal_y = struct.unpack_from("<d", raw, _OFF_NORMAL_Y)[0]
        float_valid = raw[_OFF_FLOAT_VALID]
        float_sample = np.frombuffer(raw, dtype="<f4", count=1,
                                     offset=_OFF_FLOAT_SAMPLE)[0]
        pending = None
        if left == 1:
            pos = _N
        elif nxt + left == _N + 1:
            pos = nxt
        else:
            # A consistent engine always has next_ + left_ == 625; other
            # valid states (hand-made ones) read key[next_ : next_+left_-1]
            # and then twist. NumPy cannot represent that, so pre-temper
            # those words and twist from pos=624 afterwards.
            end = nxt + left - 1
            if end > _N:
                raise RuntimeError(
                    "Invalid mt19937 state: next_ + left_ - 1 = %d reads past "
                    "the 624-word state (undefined behaviour in PyTorch)" % end)
            pending = _temper(key[nxt:end])
            pos = _N
        with self.lock:
            self._seed = seed
            self._bg.state = {"bit_generator": "MT19937",
                              "state": {"key": key.copy(), "pos": pos}}
            self._next_when_exhausted = nxt if left == 1 else _N
            self._pending = pending
            self._pending_next = nxt
            self.next_double_normal_sample = (
                float(normal_y) if normal_valid else None)
            # bool read from a byte: any non-zero byte is true.
            self.next_float_normal_sample = (
                np.float32(float_sample) if float_valid else None)
        return self

    def get_state(self):
        return self.state_bytes()

    def set_state(self, new_state):
        return self.load_state_bytes(new_state)

    def _fresh_engine(self):
        self.lock = threading.RLock()
        self._bg = np.random.MT19937()
        self._np = np.random.Generator(self._bg)

    def clone(self):
        """An independent generator of the same class in the same state."""
        g = type(self).__new__(type(self))
        g._fresh_engine()
        with self.lock:
            g._seed = self._seed
            g._bg.state = self._bg.state
            g._next_when_exhausted = self._next_when_exhausted
            g._pending = None if self._pending is None else self._pending.copy()
            g._pending_next = self._pending_next
            g.next_float_normal_sample = self.next_float_normal_sample
            g.next_double_normal_sample = self.next_double_normal_sample
        return g

    # The lock is not picklable; the state bytes carry everything else.
    def __getstate__(self):
        return {"state": self.state_bytes()}

    def __setstate__(self, d):
        self._fresh_engine()
        self._set_seed(0)
        self.load_state_bytes(d["state"])

    def __deepcopy__(self, memo):
        return self.clone()

    def __repr__(self):
        return "HostGenerator(initial_seed=%d)" % self._seed


def _type_name(obj):
    t = type(obj)
    mod = t.__module__
    if mod in ("builtins", None):
        return t.__qualname__
    return mod + "." + t.__qualname__
