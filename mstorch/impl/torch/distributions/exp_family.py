"""torch.distributions.ExponentialFamily: distributions whose entropy follows from their log
normalizer (the Bregman divergence form, computed with autograd)."""
from mstorch.impl.torch._ns import torch
from mstorch.impl.torch.distributions.distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    @property
    def _natural_params(self):
        raise NotImplementedError(f"{type(self).__name__}._natural_params is not implemented")

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError(f"{type(self).__name__}._log_normalizer is not implemented")

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError(f"{type(self).__name__}._mean_carrier_measure is not implemented")

    def entropy(self):
        result = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = torch.autograd.grad(lg_normal.sum(), nparams, create_graph=True)
        result += lg_normal
        for nparam, g in zip(nparams, gradients):
            result -= (nparam * g).reshape(self._batch_shape + (-1,)).sum(-1)
        return result
