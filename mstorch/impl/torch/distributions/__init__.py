"""torch.distributions: the Distribution interface, the families mstorch serves (sampling from
torch's CPU generator stream, so seeded draws equal torch's), transforms, constraints and kl.
The families not served yet are classes whose construction raises NotImplementedError naming them
(libraries import and subclass them at module level)."""
from mstorch.impl.torch.distributions import constraints  # noqa: F401
from mstorch.impl.torch.distributions.bernoulli import Bernoulli
from mstorch.impl.torch.distributions.categorical import Categorical
from mstorch.impl.torch.distributions.distribution import Distribution
from mstorch.impl.torch.distributions.exp_family import ExponentialFamily
from mstorch.impl.torch.distributions.gumbel import Gumbel
from mstorch.impl.torch.distributions.independent import Independent
from mstorch.impl.torch.distributions.kl import kl_divergence, register_kl
from mstorch.impl.torch.distributions.multivariate_normal import MultivariateNormal
from mstorch.impl.torch.distributions.normal import Normal
from mstorch.impl.torch.distributions.one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from mstorch.impl.torch.distributions.relaxed_bernoulli import RelaxedBernoulli
from mstorch.impl.torch.distributions.relaxed_categorical import RelaxedOneHotCategorical
from mstorch.impl.torch.distributions.transformed_distribution import TransformedDistribution
from mstorch.impl.torch.distributions.transforms import *  # noqa: F401,F403
from mstorch.impl.torch.distributions.transforms import __all__ as _transforms_all
from mstorch.impl.torch.distributions.uniform import Uniform
from mstorch.impl.torch.distributions.cauchy import Cauchy
from mstorch.impl.torch.distributions.exponential import Exponential
from mstorch.impl.torch.distributions.half_normal import HalfNormal
from mstorch.impl.torch.distributions.laplace import Laplace
from mstorch.impl.torch.distributions.log_normal import LogNormal
# not served yet: constructing one raises NotImplementedError naming it
from mstorch.impl.torch.distributions.beta import Beta
from mstorch.impl.torch.distributions.binomial import Binomial
from mstorch.impl.torch.distributions.chi2 import Chi2
from mstorch.impl.torch.distributions.continuous_bernoulli import ContinuousBernoulli
from mstorch.impl.torch.distributions.dirichlet import Dirichlet
from mstorch.impl.torch.distributions.fishersnedecor import FisherSnedecor
from mstorch.impl.torch.distributions.gamma import Gamma
from mstorch.impl.torch.distributions.generalized_pareto import GeneralizedPareto
from mstorch.impl.torch.distributions.geometric import Geometric
from mstorch.impl.torch.distributions.half_cauchy import HalfCauchy
from mstorch.impl.torch.distributions.inverse_gamma import InverseGamma
from mstorch.impl.torch.distributions.kumaraswamy import Kumaraswamy
from mstorch.impl.torch.distributions.lkj_cholesky import LKJCholesky
from mstorch.impl.torch.distributions.logistic_normal import LogisticNormal
from mstorch.impl.torch.distributions.lowrank_multivariate_normal import LowRankMultivariateNormal
from mstorch.impl.torch.distributions.mixture_same_family import MixtureSameFamily
from mstorch.impl.torch.distributions.multinomial import Multinomial
from mstorch.impl.torch.distributions.negative_binomial import NegativeBinomial
from mstorch.impl.torch.distributions.pareto import Pareto
from mstorch.impl.torch.distributions.poisson import Poisson
from mstorch.impl.torch.distributions.studentT import StudentT
from mstorch.impl.torch.distributions.von_mises import VonMises
from mstorch.impl.torch.distributions.weibull import Weibull
from mstorch.impl.torch.distributions.wishart import Wishart

__all__ = ['Bernoulli', 'Beta', 'Binomial', 'Categorical', 'Cauchy', 'Chi2', 'ContinuousBernoulli', 'Dirichlet', 'Distribution', 'Exponential', 'ExponentialFamily', 'FisherSnedecor', 'Gamma', 'GeneralizedPareto', 'Geometric', 'Gumbel', 'HalfCauchy', 'HalfNormal', 'Independent', 'InverseGamma', 'Kumaraswamy', 'LKJCholesky', 'Laplace', 'LogNormal', 'LogisticNormal', 'LowRankMultivariateNormal', 'MixtureSameFamily', 'Multinomial', 'MultivariateNormal', 'NegativeBinomial', 'Normal', 'OneHotCategorical', 'OneHotCategoricalStraightThrough', 'Pareto', 'Poisson', 'RelaxedBernoulli', 'RelaxedOneHotCategorical', 'StudentT', 'TransformedDistribution', 'Uniform', 'VonMises', 'Weibull', 'Wishart', 'kl_divergence', 'register_kl'] + list(_transforms_all)
