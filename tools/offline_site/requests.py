"""Offline stand-in for the `requests` package, put first on PYTHONPATH by tools/run_examples.py.

The examples runner has no network. gcn fetches cora.tgz with `requests.get(url, stream=True)`
every run; this module answers such a call from a local file named in the environment
variable MSTORCH_EXAMPLES_URLS (JSON: {url: path}) and refuses every other URL, so an example
never reaches the network and never gets data it did not ask for.
"""
import json
import os


class ConnectionError(OSError):
    pass


class _Response:
    def __init__(self, url, path):
        self.url = url
        self.status_code = 200
        self.raw = open(path, "rb")

    @property
    def content(self):
        self.raw.seek(0)
        return self.raw.read()

    def raise_for_status(self):
        pass

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def get(url, **kwargs):
    known = json.loads(os.environ.get("MSTORCH_EXAMPLES_URLS", "{}"))
    if url not in known:
        raise ConnectionError(f"offline examples runner: no local file for {url}")
    return _Response(url, known[url])
