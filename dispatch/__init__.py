"""The engine: tensors, dtypes, devices, the dispatcher and autograd.

Never imports `mstorch` (arrows go mstorch -> dispatch -> ops_table -> mindspore).
"""
