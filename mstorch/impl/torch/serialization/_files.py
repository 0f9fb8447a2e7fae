"""Files: telling a path from a file object, opening a checkpoint for reading, and writing a path
atomically (temporary file, fsync, rename), cleaning up what killed writers left behind."""
import contextlib
import io
import os
import re
import tempfile


def _is_path(f):
    return isinstance(f, (str, os.PathLike, bytes))


@contextlib.contextmanager
def _open_for_read(f):
    if _is_path(f):
        with open(f, "rb") as fh:
            yield fh
        return
    if not hasattr(f, "read"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'read' attribute")
    seekable = False
    try:
        seekable = f.seekable() if hasattr(f, "seekable") else hasattr(f, "seek")
    except Exception:
        seekable = False
    if not seekable or not hasattr(f, "readline") or not hasattr(f, "tell"):
        yield io.BytesIO(f.read())
    else:
        yield f


def _is_zip(fh):
    pos = fh.tell()
    head = fh.read(4)
    fh.seek(pos)
    return head == b"PK\x03\x04"


def _atomic_write(path, write):
    """Write through a temporary file beside `path`, fsync it, then rename it over `path`:
    a crash at any point leaves either the old file or the complete new one."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if os.path.islink(path):
        # Replace what the link points at, not the link itself.
        path = os.path.realpath(path)
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    if os.path.isdir(path):
        raise IsADirectoryError(f"[Errno 21] Is a directory: '{path}'")
    _remove_stale_temporaries(directory, os.path.basename(path))
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(os.path.basename(path)) + f"{os.getpid()}-", suffix=".tmp",
                               dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            pass
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(directory)
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _temp_prefix(base):
    """The start of our temporary files' names for target `base`: `.<base>.mstorch-<host>-`,
    followed by the writer's pid and a random part.  The host is a hash of the host name,
    so that a pid is only ever judged on the machine that wrote it (shared file systems)."""
    import hashlib
    import socket
    host = hashlib.sha1(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f".{base}.mstorch-{host}-"


def _remove_stale_temporaries(directory, base):
    """Delete temporary files that an earlier save of this same target left behind when its
    process died mid-write (killed, out of memory): only files named by this writer for this
    target, on this host, whose writing process no longer exists."""
    prefix = _temp_prefix(base)
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[A-Za-z0-9_]+\.tmp\Z")
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        m = pattern.match(name)
        if m is None:
            continue
        full = os.path.join(directory, name)
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if not _is_regular_file(st) or not _writer_gone(int(m.group(1)), st.st_mtime):
            continue
        with contextlib.suppress(OSError):
            os.unlink(full)


def _is_regular_file(st):
    import stat
    return stat.S_ISREG(st.st_mode)


def _writer_gone(pid, mtime):
    """Whether process `pid` that wrote a file last modified at `mtime` has ended.  A pid in
    use by a process started after that write is another process that reuses the number."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    started = _process_start_time(pid)
    return started is not None and started > mtime + 1.0


def _process_start_time(pid):
    """Wall-clock start time of `pid` from /proc (None where /proc cannot say)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])             # field 22 of stat(5): starttime, in clock ticks since boot
        with open("/proc/stat", "rb") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith(b"btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _fsync_dir(directory):
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)
