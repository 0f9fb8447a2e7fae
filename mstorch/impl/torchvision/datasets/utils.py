"""File checks and the download entry points of torchvision.datasets.utils.

mstorch never fetches datasets: every helper that would download raises at once (no network access, no partial
file) with a RuntimeError naming the files to fetch and the folder to put them in. Integrity checks compute MD5
exactly as torchvision does, so real dataset files pass and altered ones fail."""
import bz2
import gzip
import hashlib
import lzma
import os
import tarfile
import zipfile


def calculate_md5(fpath, chunk_size=1024 * 1024):
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5, **kwargs):
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5=None):
    if not os.path.isfile(fpath):
        return False
    if md5 is None:
        return True
    return check_md5(fpath, md5)


def _no_download(urls, folder):
    names = ", ".join(os.path.basename(u.rstrip("/")) for u in urls)
    sources = "\n  ".join(urls)
    return RuntimeError(
        f"mstorch does not download datasets. Put {names} in {os.path.abspath(os.path.expanduser(folder))} "
        f"(sources:\n  {sources}\n) and run again; files already in place are used as they are.")


def download_url(url, root, filename=None, md5=None, max_redirect_hops=3):
    root = os.path.expanduser(root)
    fpath = os.path.join(root, filename or os.path.basename(url))
    if check_integrity(fpath, md5):
        return
    raise _no_download([url], root)


def download_and_extract_archive(url, download_root, extract_root=None, filename=None, md5=None,
                                 remove_finished=False):
    download_root = os.path.expanduser(download_root)
    archive = os.path.join(download_root, filename or os.path.basename(url))
    if not check_integrity(archive, md5):
        raise _no_download([url], download_root)
    extract_archive(archive, extract_root or download_root, remove_finished)


_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def extract_archive(from_path, to_path=None, remove_finished=False):
    if to_path is None:
        to_path = os.path.dirname(from_path)
    name = from_path.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz")):
        with tarfile.open(from_path) as tar:
            tar.extractall(to_path, filter="data")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(from_path) as z:
            z.extractall(to_path)
    else:
        ext = os.path.splitext(name)[1]
        if ext not in _COMPRESSED:
            raise RuntimeError(f"Archive type of {from_path} is not supported")
        out = os.path.join(to_path, os.path.basename(from_path)[: -len(ext)])
        tmp = out + ".part"
        # Written under a temporary name, so an interrupted extraction leaves no half file behind.
        with _COMPRESSED[ext](from_path, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        os.replace(tmp, out)
    if remove_finished:
        os.remove(from_path)
    return to_path


def verify_str_arg(value, arg=None, valid_values=None, custom_msg=None):
    if not isinstance(value, str):
        msg = "Expected type str" + ("" if arg is None else f" for argument {arg}") + f", but got type {type(value)}."
        raise ValueError(msg)
    if valid_values is None:
        return value
    if value not in valid_values:
        if custom_msg is not None:
            raise ValueError(custom_msg)
        iterable = ", ".join(f"'{v}'" for v in valid_values)
        raise ValueError(f"Unknown value '{value}' for argument {arg}. Valid values are {{{iterable}}}.")
    return value
