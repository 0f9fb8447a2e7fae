"""Complex numbers: real/imag views, complex construction, polar, conj_physical."""
