"""MultiheadAttention and the Transformer family against real torch from the same seed."""
import warnings

import numpy as np
import pytest
import torch

import mstorch

T = mstorch.torch
RTOL = 1e-4


def close(a, b, rtol=RTOL, atol=2e-6):
    if a is None:
        assert b is None
        return
    a = a.detach().numpy()
    b = b.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(b, a, rtol=rtol, atol=atol)


def build(make, seed=0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(seed)
        ref = make(torch.nn)
        T.manual_seed(seed)
        ours = make(T.nn)
    r, o = dict(ref.named_parameters()), dict(ours.named_parameters())
    assert list(r) == list(o)
    for k in r:
        close(r[k], o[k], rtol=0, atol=0)
    return ref, ours


def leaves(rng, *shapes):
    arrs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    return [torch.tensor(a, requires_grad=True) for a in arrs], [T.tensor(a, requires_grad=True) for a in arrs]


def check_grads(ref, ours, pairs=()):
    r, o = dict(ref.named_parameters()), dict(ours.named_parameters())
    for k in r:
        close(r[k].grad, o[k].grad)
    for a, b in pairs:
        close(a.grad, b.grad)


def probe_loss(out_r, out_o, seed=9):
    """sum(out * R) for a fixed random R: after a final LayerNorm, sum(out**2) barely depends on the
    input, so its gradients would be cancellation noise rather than a test."""
    r = np.random.default_rng(seed).standard_normal(tuple(out_r.shape)).astype(np.float32)
    return (out_r * torch.tensor(r)).sum(), (out_o * T.tensor(r)).sum()


def both(fn_r, fn_o, seed=123):
    """Run the two forwards from the same RNG state (dropout draws must line up)."""
    torch.manual_seed(seed)
    out_r = fn_r()
    T.manual_seed(seed)
    out_o = fn_o()
    return out_r, out_o


MHA_CONFIGS = [dict(), dict(batch_first=True), dict(add_bias_kv=True, add_zero_attn=True),
               dict(kdim=3, vdim=5), dict(bias=False), dict(dropout=0.25)]


@pytest.mark.parametrize("kw", MHA_CONFIGS, ids=lambda kw: ",".join(kw) or "default")
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_mha_matches_torch(kw, need_weights, average):
    ref, ours = build(lambda nn: nn.MultiheadAttention(8, 2, **kw))
    L, S, B = 4, 5, 3
    bf = kw.get("batch_first", False)
    shape = (lambda n, d: (B, n, d)) if bf else (lambda n, d: (n, B, d))
    rng = np.random.default_rng(0)
    (q, k, v), (qo, ko, vo) = leaves(rng, shape(L, 8), shape(S, kw.get("kdim", 8)), shape(S, kw.get("vdim", 8)))
    kpm = np.zeros((B, S), bool)
    kpm[1, 3:] = True
    am = rng.standard_normal((L, S)).astype(np.float32)
    args = dict(need_weights=need_weights, average_attn_weights=average)
    (o_r, w_r), (o_o, w_o) = both(
        lambda: ref(q, k, v, key_padding_mask=torch.tensor(kpm), attn_mask=torch.tensor(am), **args),
        lambda: ours(qo, ko, vo, key_padding_mask=T.tensor(kpm), attn_mask=T.tensor(am), **args))
    close(o_r, o_o)
    close(w_r, w_o)
    (o_r.sum() + (0 if w_r is None else (w_r * w_r).sum())).backward()
    (o_o.sum() + (0 if w_o is None else (w_o * w_o).sum())).backward()
    check_grads(ref, ours, [(q, qo), (k, ko), (v, vo)])


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_self_attention_masks(need_weights):
    ref, ours = build(lambda nn: nn.MultiheadAttention(6, 3, batch_first=True))
    rng = np.random.default_rng(1)
    (x,), (xo,) = leaves(rng, (2, 4, 6))
    bool_mask = np.triu(np.ones((4, 4), bool), 1)
    kpm = np.array([[False] * 4, [False, False, True, True]])
    o_r, w_r = ref(x, x, x, attn_mask=torch.tensor(bool_mask), key_padding_mask=torch.tensor(kpm),
                   need_weights=need_weights)
    o_o, w_o = ours(xo, xo, xo, attn_mask=T.tensor(bool_mask), key_padding_mask=T.tensor(kpm),
                    need_weights=need_weights)
    close(o_r, o_o)
    close(w_r, w_o)
    # is_causal with a mask and without weights takes SDPA's causal route
    causal = torch.nn.Transformer.generate_square_subsequent_mask(4)
    o_r, _ = ref(x, x, x, attn_mask=causal, need_weights=False, is_causal=True)
    o_o, _ = ours(xo, xo, xo, attn_mask=T.nn.Transformer.generate_square_subsequent_mask(4), need_weights=False,
                  is_causal=True)
    close(o_r, o_o)
    o_r.sum().backward()
    o_o.sum().backward()
    check_grads(ref, ours, [(x, xo)])
    # 3-D float mask per head, unbatched query
    m3 = rng.standard_normal((3, 4, 4)).astype(np.float32)
    u_r, uw_r = ref(x[0], x[0], x[0], attn_mask=torch.tensor(m3))
    u_o, uw_o = ours(xo[0], xo[0], xo[0], attn_mask=T.tensor(m3))
    close(u_r, u_o)
    close(uw_r, uw_o)


def test_mha_fully_masked_rows_nan_with_weights_zero_without():
    ref, ours = build(lambda nn: nn.MultiheadAttention(4, 2))
    rng = np.random.default_rng(2)
    (x,), (xo,) = leaves(rng, (3, 2, 4))
    kpm = np.array([[True, True, True], [False, False, True]])
    for nw in (True, False):
        o_r, _ = ref(x, x, x, key_padding_mask=torch.tensor(kpm), need_weights=nw)
        o_o, _ = ours(xo, xo, xo, key_padding_mask=T.tensor(kpm), need_weights=nw)
        np.testing.assert_array_equal(np.isnan(o_o.detach().numpy()), np.isnan(o_r.detach().numpy()))
        keep = ~np.isnan(o_r.detach().numpy())
        np.testing.assert_allclose(o_o.detach().numpy()[keep], o_r.detach().numpy()[keep], rtol=RTOL, atol=2e-6)
    o_o, _ = ours(xo, xo, xo, key_padding_mask=T.tensor(kpm), need_weights=False)
    o_o.sum().backward()
    assert np.isfinite(xo.grad.numpy()).all()


def test_mha_repr_and_errors():
    m = T.nn.MultiheadAttention(8, 2, bias=False)
    assert repr(m) == repr(torch.nn.MultiheadAttention(8, 2, bias=False))
    assert m.bias_k is None and "bias_k" not in dict(m.named_parameters())
    for make in (lambda nn: nn.MultiheadAttention(8, 3), lambda nn: nn.MultiheadAttention(0, 2)):
        with pytest.raises(Exception) as want:
            make(torch.nn)
        with pytest.raises(type(want.value)) as got:
            make(T.nn)
        assert str(got.value) == str(want.value)
    ref, ours = build(lambda nn: nn.MultiheadAttention(4, 2))
    bad = np.zeros((2, 3, 4), np.float32)
    for args in [(bad, bad[:, :, :3], bad), (bad, bad, bad, None, True, np.zeros((3, 3), np.float32))]:
        with pytest.raises(Exception) as want:
            ref(*[torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args])
        with pytest.raises(type(want.value)) as got:
            ours(*[T.tensor(a) if isinstance(a, np.ndarray) else a for a in args])
        assert str(got.value) == str(want.value)


def test_generate_square_subsequent_mask():
    close(torch.nn.Transformer.generate_square_subsequent_mask(5),
          T.nn.Transformer.generate_square_subsequent_mask(5), rtol=0, atol=0)
    assert T.nn.Transformer.generate_square_subsequent_mask(3, dtype=T.float64).dtype == T.float64


ENC_CONFIGS = [dict(), dict(batch_first=True, norm_first=True), dict(activation="gelu", bias=False),
               dict(activation=lambda x: x.tanh(), layer_norm_eps=1e-3, batch_first=True)]


@pytest.mark.parametrize("kw", ENC_CONFIGS, ids=["default", "bf-normfirst", "gelu-nobias", "callable"])
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_encoder_matches_torch(kw, mode):
    def make(nn):
        layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, **kw)
        return nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False)
    ref, ours = build(make)
    ref.train(mode == "train")
    ours.train(mode == "train")
    bf = kw.get("batch_first", False)
    rng = np.random.default_rng(3)
    (x,), (xo,) = leaves(rng, (2, 5, 8) if bf else (5, 2, 8))
    kpm = np.array([[False] * 5, [False, False, False, True, True]])
    mask = np.triu(np.full((5, 5), -np.inf, np.float32), 1)
    o_r = ref(x, mask=torch.tensor(mask), src_key_padding_mask=torch.tensor(kpm).float().masked_fill(
        torch.tensor(kpm), float("-inf")))
    o_o = ours(xo, mask=T.tensor(mask), src_key_padding_mask=T.tensor(kpm).float().masked_fill(
        T.tensor(kpm), float("-inf")))
    close(o_r, o_o)
    loss_r, loss_o = probe_loss(o_r, o_o)
    loss_r.backward()
    loss_o.backward()
    check_grads(ref, ours, [(x, xo)])


def test_encoder_layer_dropout_in_training_follows_torch_rng():
    ref, ours = build(lambda nn: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.3))
    (x,), (xo,) = leaves(np.random.default_rng(4), (5, 2, 8))
    o_r, o_o = both(lambda: ref(x), lambda: ours(xo))
    close(o_r, o_o)
    loss_r, loss_o = probe_loss(o_r, o_o)
    loss_r.backward()
    loss_o.backward()
    check_grads(ref, ours, [(x, xo)])


def test_encoder_nested_fast_path_zeroes_padding():
    def make(nn):
        return nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True), 2)
    ref, ours = build(make)
    assert ours.use_nested_tensor and ref.use_nested_tensor
    ref.eval()
    ours.eval()
    x = np.random.default_rng(5).standard_normal((2, 4, 8)).astype(np.float32)
    kpm = np.array([[False] * 4, [False, False, True, True]])
    with torch.no_grad():
        o_r = ref(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
    with T.no_grad():
        o_o = ours(T.tensor(x), src_key_padding_mask=T.tensor(kpm))
    close(o_r, o_o)
    assert float(np.abs(o_o.numpy()[1, 2:]).max()) == 0.0


def test_nested_tensor_warning_matches_torch():
    with warnings.catch_warnings(record=True) as want:
        warnings.simplefilter("always")
        torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2), 1)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(8, 2), 1)
    assert [str(w.message) for w in got] == [str(w.message) for w in want]


@pytest.mark.parametrize("kw", [dict(), dict(norm_first=True, batch_first=True)], ids=["post", "pre-bf"])
def test_decoder_matches_torch(kw):
    def make(nn):
        return nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, **kw), 2,
                                     norm=nn.LayerNorm(8))
    ref, ours = build(make)
    bf = kw.get("batch_first", False)
    rng = np.random.default_rng(6)
    (t, m), (to, mo) = leaves(rng, (2, 4, 8) if bf else (4, 2, 8), (2, 5, 8) if bf else (5, 2, 8))
    tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    mkpm = np.array([[False] * 5, [False, False, False, False, True]])
    o_r = ref(t, m, tgt_mask=tgt_mask, memory_key_padding_mask=torch.tensor(mkpm))
    o_o = ours(to, mo, tgt_mask=T.nn.Transformer.generate_square_subsequent_mask(4),
               memory_key_padding_mask=T.tensor(mkpm))
    close(o_r, o_o)
    loss_r, loss_o = probe_loss(o_r, o_o)
    loss_r.backward()
    loss_o.backward()
    check_grads(ref, ours, [(t, to), (m, mo)])


@pytest.mark.parametrize("dropout", [0.0, 0.2])
def test_full_transformer_matches_torch(dropout):
    def make(nn):
        return nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16,
                              dropout=dropout)
    ref, ours = build(make)
    assert repr(ours.encoder.layers[0]) == repr(ref.encoder.layers[0])
    rng = np.random.default_rng(7)
    (s, t), (so, to) = leaves(rng, (5, 2, 8), (3, 2, 8))
    tgt_mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
    o_r, o_o = both(lambda: ref(s, t, tgt_mask=tgt_mask),
                    lambda: ours(so, to, tgt_mask=T.nn.Transformer.generate_square_subsequent_mask(3)))
    close(o_r, o_o)
    loss_r, loss_o = probe_loss(o_r, o_o)
    loss_r.backward()
    loss_o.backward()
    check_grads(ref, ours, [(s, so), (t, to)])
    ref.eval()
    ours.eval()
    close(ref(s, t), ours(so, to))
    with pytest.raises(RuntimeError) as got:
        ours(so, to[:, :1])
    assert str(got.value) == "the batch number of src and tgt must be equal"


def test_clones_are_independent():
    enc = T.nn.TransformerEncoder(T.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16), 3,
                                  enable_nested_tensor=False)
    w = [layer.linear1.weight for layer in enc.layers]
    assert w[0] is not w[1]
    np.testing.assert_array_equal(w[0].detach().numpy(), w[2].detach().numpy())
    assert len(list(enc.parameters())) == 3 * len(list(enc.layers[0].parameters()))
