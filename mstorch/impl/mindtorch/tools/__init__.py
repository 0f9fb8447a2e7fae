"""`mindtorch.tools`: in the older adapter, importing `mindtorch.tools.mstorch_enable` turned
`import torch` into the adapter; here it turns on mstorch's import hook."""
