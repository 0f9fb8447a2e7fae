"""torch.distributed.launch: PyTorch's deprecated launcher, torchrun's options plus
`--use-env`; without it each worker gets `--local-rank=N` after its arguments."""
import warnings

from mstorch.impl.torch.distributed.run import get_args_parser, run

_DEPRECATED = ("The module torch.distributed.launch is deprecated\nand will be removed in future. Use torchrun.\n"
               "Note that --use-env is set by default in torchrun.\nIf your script expects `--local-rank` argument "
               "to be set, please\nchange it to read from `os.environ['LOCAL_RANK']` instead. See \n"
               "https://pytorch.org/docs/stable/distributed.html#launch-utility for \nfurther instructions\n")


def parse_args(args):
    parser = get_args_parser()
    parser.add_argument("--use-env", "--use_env", default=False, action="store_true",
                        help="Pass the local rank in LOCAL_RANK only, not as --local-rank.")
    return parser.parse_args(args)


def launch(args):
    if args.no_python and not args.use_env:
        raise ValueError("When using the '--no-python' flag, you must also set the '--use-env' flag.")
    return run(args)


def main(args=None):
    import sys
    warnings.warn(_DEPRECATED, FutureWarning, stacklevel=2)
    status = launch(parse_args(sys.argv[1:] if args is None else args))
    if status:
        sys.exit(status)


if __name__ == "__main__":
    main()
