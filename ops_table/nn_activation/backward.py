"""Formula helpers for torch.nn.functional ops (written with table ops, so double backward works)."""
from ops_table.common.provided import get as _get
import math


def _T():
    T = _get("T")
    return T


def softmax_axis(dim, ndim):
    if dim is None:
        dim = 0 if ndim in (0, 1, 3) else 1
    return dim if ndim else 0


def _as_input(g, self):
    return g if g.dtype == self.dtype else g.to(self.dtype)


def softmax_grad(grad, result, dim, self):
    if result.dim() == 0:
        return _as_input(grad * 0, self)
    d = softmax_axis(dim, result.dim())
    gy = grad * result
    return _as_input(gy - result * gy.sum(d, keepdim=True), self)


def log_softmax_grad(grad, result, dim, self):
    if result.dim() == 0:
        return _as_input(grad * 0, self)
    d = softmax_axis(dim, result.dim())
    return _as_input(grad - _T().exp(result) * grad.sum(d, keepdim=True), self)


def gelu_second(x, approximate):
    """d^2/dx^2 of gelu, for the double backward of gelu_backward."""
    T = _T()
    if approximate == "tanh":
        k, c = math.sqrt(2 / math.pi), 0.044715
        u = (x + c * x * x * x) * k
        du = (3 * c * x * x + 1) * k
        t = T.tanh(u)
        sech2 = 1 - t * t
        return sech2 * du + 0.5 * x * sech2 * (6 * k * c * x - 2 * t * du * du)
    pdf = T.exp(x * x * -0.5) * (1 / math.sqrt(2 * math.pi))
    return pdf * (2 - x * x)


def linear_input_grad(grad, weight):
    T = _T()
    if weight.dim() == 1:
        return grad.unsqueeze(-1) * weight
    return T.linear(grad, weight.t())


def linear_weight_grad(grad, input, weight):
    T = _T()
    if weight.dim() == 1:
        g = grad.unsqueeze(-1) * input
        return g.reshape(-1, weight.shape[0]).sum(0) if g.dim() > 1 else g
    g2 = grad.reshape(-1, weight.shape[0])
    x2 = input.reshape(-1, weight.shape[1])
    return T.linear(g2.t(), x2.t())


def embedding_dense_double(grad, indices, padding_idx, scale_grad_by_freq):
    T = _T()
    # PyTorch's double backward ignores scale_grad_by_freq (derivatives.yaml); parity says do the same.
    g = T.embedding(grad, indices)
    if padding_idx is not None and padding_idx >= 0:
        g = g * (indices != padding_idx).unsqueeze(-1).to(g.dtype)
    return g
