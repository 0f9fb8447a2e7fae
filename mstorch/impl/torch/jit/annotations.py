"""torch.jit.annotations: the typing names TorchScript signatures use."""
from typing import Any, Callable, Dict, List, Optional, Tuple, Union  # noqa: F401

# TorchScript reads BroadcastingListN[T] as "T or a list of N T"; in Python it is a List.
BroadcastingList1 = BroadcastingList2 = BroadcastingList3 = List
