"""Padding modes, pixel shuffles and resampling as decompositions into table ops.

Non-constant padding is a gather along each padded dim; built from narrow / flip / cat
/ expand it needs no kernel of its own and differentiates (twice) through those ops."""


def _check_mode_dims(x, pad, mode):
    n = len(pad) // 2
    if len(pad) % 2 or n > 3 or x.dim() not in (n + 1, n + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {x.dim()}D input tensor.\n"
                                  "Supported combinations for non-constant padding:\n  - 2D or 3D input: padding size "
                                  "= 2 (pads last dimension)\n  - 3D or 4D input: padding size = 4 (pads last 2 "
                                  "dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad(T, self, pad, mode, value):
    pad = list(pad)
    if mode == "constant":
        return T.constant_pad_nd(self, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    _check_mode_dims(self, pad, mode)
    x = self
    for i in range(len(pad) // 2):
        d = x.dim() - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = x.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(self.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and n == 0 and (lo > 0 or hi > 0):
            raise RuntimeError(f"padding size is expected to be smaller than input size, got input {n}")
        if lo < 0:
            x = x.narrow(d, -lo, x.shape[d] + lo)
        if hi < 0:
            x = x.narrow(d, 0, x.shape[d] + hi)
        lo, hi = max(lo, 0), max(hi, 0)
        if lo == 0 and hi == 0:
            continue
        m = x.shape[d]
        parts = []
        if mode == "reflect":
            if lo:
                parts.append(x.narrow(d, 1, lo).flip([d]))
            parts.append(x)
            if hi:
                parts.append(x.narrow(d, m - 1 - hi, hi).flip([d]))
        elif mode == "replicate":
            if lo:
                parts.append(_edge(x, d, 0, lo))
            parts.append(x)
            if hi:
                parts.append(_edge(x, d, m - 1, hi))
        else:
            if lo:
                parts.append(x.narrow(d, m - lo, lo))
            parts.append(x)
            if hi:
                parts.append(x.narrow(d, 0, hi))
        x = _join(T, parts, d)
    return x if x is not self else self.clone()


def _edge(x, d, at, count):
    shape = list(x.shape)
    shape[d] = count
    return x.narrow(d, at, 1).expand(shape)


def _join(T, parts, d):
    """cat along d, spelt as a sum of zero-padded pieces: constant_pad_nd's backward is a crop."""
    total = sum(p.shape[d] for p in parts)
    out, at = None, 0
    for p in parts:
        k = p.dim() - 1 - d
        pad = [0, 0] * k + [at, total - at - p.shape[d]]
        piece = T.constant_pad_nd(p, pad, 0)
        out = piece if out is None else out + piece
        at += p.shape[d]
    return out


def pixel_shuffle(T, self, upscale_factor):
    r = upscale_factor
    if self.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = self.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    k = len(lead)
    x = self.reshape(lead + [c // (r * r), r, r, h, w])
    x = x.permute(list(range(k)) + [k, k + 3, k + 1, k + 4, k + 2])
    return x.reshape(lead + [c // (r * r), h * r, w * r])


def pixel_unshuffle(T, self, downscale_factor):
    r = downscale_factor
    if self.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = self.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by downscale_factor, but "
                           f"got {h} x {w} and {r}")
    k = len(lead)
    x = self.reshape(lead + [c, h // r, r, w // r, r])
    x = x.permute(list(range(k)) + [k, k + 2, k + 4, k + 1, k + 3])
    return x.reshape(lead + [c * r * r, h // r, w // r])


def channel_shuffle(T, self, groups):
    if self.dim() < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{self.dim()} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    n, c = self.shape[0], self.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    rest = list(self.shape[2:])
    x = self.reshape([n, groups, c // groups] + rest).transpose(1, 2)
    return x.reshape([n, c] + rest)
