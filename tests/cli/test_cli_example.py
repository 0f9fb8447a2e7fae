"""The bundled example prints the same under mstorch as under real PyTorch."""
from pathlib import Path

from childproc import mstorch, python

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "train_classifier.py")


def test_example_matches_pytorch():
    real = python(EXAMPLE)
    assert real.returncode == 0, real.stderr
    ours = mstorch(EXAMPLE)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == real.stdout
