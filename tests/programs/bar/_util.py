"""Shared by the bar programs: turn tensors and nested results into JSON and print them."""
import json


def jsonable(x):
    if hasattr(x, "tolist") and hasattr(x, "dtype"):
        return {"dtype": str(x.dtype), "shape": list(x.shape), "values": x.tolist()}
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, float) or isinstance(x, (int, str, bool)) or x is None:
        return x
    return str(x)


def emit(result):
    print(json.dumps(jsonable(result), sort_keys=True))
