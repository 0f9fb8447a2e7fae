"""torch.utils.data: datasets, samplers, collation and the DataLoader."""
from mstorch.impl.torch.utils.data._collate import default_collate, default_convert
from mstorch.impl.torch.utils.data._worker import get_worker_info
from mstorch.impl.torch.utils.data.dataloader import DataLoader, _DatasetKind
from mstorch.impl.torch.utils.data.dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset,
                                                   StackDataset, Subset, TensorDataset, random_split)
from mstorch.impl.torch.utils.data.distributed import DistributedSampler
from mstorch.impl.torch.utils.data.sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                                                   SubsetRandomSampler, WeightedRandomSampler)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "DistributedSampler",
           "IterableDataset", "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset",
           "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler", "default_collate", "default_convert",
           "get_worker_info", "random_split"]
