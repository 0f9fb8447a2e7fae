"""FFT kernels for MindSpore arrays.  MindSpore 2.10's CPU FFT ops compute complex64 in
single precision with their own rounding; PyTorch's reference here is pocketfft-exact in
double, so the transforms run on the host copy (zero-copy view when contiguous)."""
from ops_table.fft import host as np_fft
from ops_table.common._ms import from_host, host_array


def fft_c2c(a, dim, normalization, forward):
    return from_host(np_fft.fft_c2c(host_array(a), dim, normalization, forward))


def fft_r2c(a, dim, normalization, onesided):
    return from_host(np_fft.fft_r2c(host_array(a), dim, normalization, onesided))


def fft_c2r(a, dim, normalization, last_dim_size):
    return from_host(np_fft.fft_c2r(host_array(a), dim, normalization, last_dim_size))


def fftfreq(n, d, dtype):
    return from_host(np_fft.fftfreq(n, d, dtype))


def rfftfreq(n, d, dtype):
    return from_host(np_fft.rfftfreq(n, d, dtype))
