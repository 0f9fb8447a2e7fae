"""`python -m mstorch ...`: see `mstorch.cli`."""
import sys

from mstorch.cli import main

if __name__ == "__main__":
    sys.exit(main())
