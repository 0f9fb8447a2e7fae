"""Which pytorch/examples run, with what data and arguments, and which cannot run here (and why).

Arguments are ones each example's own argparse defines (read from its main.py); where an
example has no size option, the synthetic data is what keeps the run small.
"""
import glob
import os
import subprocess
import sys
from dataclasses import dataclass, field

import numpy as np

import examples_data as data


@dataclass
class Step:
    script: str                 # path inside the example's folder
    args: object = ()           # list, or callable(example_dir) -> list (for names known after a step)
    stop_after: tuple = None    # (regex, n): end the run once n output lines match (endless examples)
    before: object = None       # callable(run_dir, example_dir), run before this step


@dataclass
class Example:
    name: str                   # row name
    folder: str                 # folder in the checkout
    steps: list
    prepare: object = None      # callable(run_dir, example_dir, urls): lay out data
    seeded: bool = True         # seeded runs must print the same numbers under both runtimes
    compare_files: tuple = ()   # text files (in the example dir) that must match too
    env: dict = field(default_factory=dict)   # extra environment for both runtimes
    note: str = ""


def _mnist_up(run_dir, ex_dir, urls):
    data.make_mnist(os.path.join(run_dir, "data"))           # '../data' seen from the example


def _mnist_here(run_dir, ex_dir, urls):
    data.make_mnist(os.path.join(ex_dir, "data"), n_train=300, n_test=100)   # './data/'


def _wikitext(run_dir, ex_dir, urls):
    data.make_wikitext(os.path.join(ex_dir, "data", "wikitext-2"))


def _bsds(run_dir, ex_dir, urls):
    data.make_bsds300(os.path.join(ex_dir, "dataset"))


def _coco_like(run_dir, ex_dir, urls):
    # ImageFolder wants one level of class folders under --dataset. The style and content
    # images are made at the size used, because the example's resize path calls
    # Image.ANTIALIAS, which Pillow >= 10 no longer has.
    data.make_image_folder(os.path.join(run_dir, "coco"), classes=("train2014",), per_class=4,
                           size=(96, 96))
    rng = np.random.RandomState(1)
    data.write_image(os.path.join(run_dir, "style.jpg"), (64, 64), rng)
    data.write_image(os.path.join(run_dir, "content.jpg"), (48, 64), rng)


def _cora_here(run_dir, ex_dir, urls):
    data.make_cora(os.path.join(ex_dir, "cora"))


CORA_URL = "https://linqs-data.soe.ucsc.edu/public/lbc/cora.tgz"


def _cora_tgz(run_dir, ex_dir, urls):
    urls[CORA_URL] = data.make_cora_tgz(os.path.join(run_dir, "cora.tgz"))


def _small_sine_waves(run_dir, ex_dir):
    # generate_sine_wave.py (run as the step before, under the runtime being tested) writes
    # 100 waves of 1000 points; LBFGS over that takes minutes even under real torch here.
    # Same recipe, 6 waves of 100 points, saved by real torch in a subprocess.
    code = ("import numpy as np, torch; np.random.seed(2); T, L, N = 20, 100, 6; "
            "x = np.empty((N, L), 'int64'); "
            "x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1); "
            "torch.save(np.sin(x / 1.0 / T).astype('float64'), open('traindata.pt', 'wb'))")
    subprocess.run([sys.executable, "-c", code], cwd=ex_dir, check=True, timeout=120,
                   env={k: v for k, v in os.environ.items() if k != "MSTORCH_ENABLE"})


def _newest(pattern):
    def args(ex_dir):
        found = sorted(glob.glob(os.path.join(ex_dir, pattern)), key=os.path.getmtime)
        if not found:
            raise FileNotFoundError(f"the previous step wrote no {pattern}")
        return os.path.relpath(found[-1], ex_dir)
    return args


def _wlm(model, extra=()):
    common = ["--epochs", "1", "--emsize", "32", "--nhid", "32", "--nlayers", "2", "--bptt", "10",
              "--batch_size", "4", "--log-interval", "20", "--model", model, *extra]
    return [Step("main.py", common),
            Step("generate.py", ["--words", "40", "--log-interval", "20"])]


def _torchrun(script, *args, launch=("--standalone",), nproc=2):
    # `python -m torch.distributed.run` under both runtimes (`python -m mstorch -m ...` for mstorch)
    return Step("-m", ["torch.distributed.run", *launch, f"--nproc_per_node={nproc}", script, *args])


# The ddp-tutorial-series programs call torch.cuda.set_device and init_process_group("nccl"):
# written for CUDA. mstorch serves them from the CPU with MSTORCH_CUDA_TO_CPU=1 ('nccl' maps to
# MindSpore's backend for the target); real torch on a CPU-only host stops at the CUDA calls.
_CUDA_ON_CPU = {"MSTORCH_CUDA_TO_CPU": "1"}
_DDP_NOTE = "CUDA program on the CPU (MSTORCH_CUDA_TO_CPU=1); MyTrainDataset is unseeded torch.rand"

EXAMPLES = [
    Example("mnist", "mnist", [Step("main.py", ["--epochs", "1", "--log-interval", "1",
                                                "--test-batch-size", "64"])], _mnist_up),
    Example("mnist_rnn", "mnist_rnn", [Step("main.py", ["--epochs", "1", "--log-interval", "1",
                                                        "--test-batch-size", "64"])], _mnist_up),
    Example("mnist_forward_forward", "mnist_forward_forward",
            [Step("main.py", ["--epochs", "20", "--train_size", "300", "--test_size", "100",
                              "--no_accel"])], _mnist_here, seeded=False,
            note="calls no manual_seed"),
    Example("mnist_hogwild", "mnist_hogwild",
            [Step("main.py", ["--epochs", "1", "--num-processes", "2", "--log-interval", "1",
                              "--test-batch-size", "64"])], _mnist_up, seeded=False,
            note="two processes update shared weights in a racy order"),
    Example("regression", "regression", [Step("main.py", [])], seeded=False,
            note="calls no manual_seed; runs until loss < 1e-3"),
    Example("time_sequence_prediction", "time_sequence_prediction",
            [Step("generate_sine_wave.py"), Step("train.py", ["--steps", "1"], before=_small_sine_waves)],
            # It torch.save()s a NumPy array and torch.load()s it with the default weights_only,
            # which is True from torch 2.6 (its requirements pin torch<2.6); this variable is
            # PyTorch's documented switch back to the old default.
            env={"TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD": "1"},
            note="TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 (written for torch<2.6); train.py on 6x100 waves"),
    Example("vae", "vae", [Step("main.py", ["--epochs", "1", "--log-interval", "1", "--no-accel"])],
            _mnist_up),
    Example("word_language_model LSTM", "word_language_model", _wlm("LSTM"), _wikitext,
            compare_files=("generated.txt",)),
    Example("word_language_model Transformer", "word_language_model",
            _wlm("Transformer", ["--nhead", "2", "--lr", "2"]), _wikitext, compare_files=("generated.txt",),
            note="--lr 2: at the default 20 the loss diverges under both runtimes"),
    Example("dcgan", "dcgan", [Step("main.py", ["--dataset", "fake", "--dry-run", "--batchSize", "8",
                                                "--workers", "0", "--manualSeed", "1",
                                                "--ngf", "16", "--ndf", "16"])]),
    Example("super_resolution", "super_resolution",
            [Step("main.py", ["--upscale_factor", "3", "--batchSize", "2", "--testBatchSize", "2",
                              "--nEpochs", "1", "--lr", "0.001", "--threads", "0"]),
             Step("super_resolve.py", ["--input_image", "dataset/BSDS300/images/test/1000.jpg",
                                       "--model", "model_epoch_1.pth", "--output_filename", "out.png"])],
            _bsds),
    Example("fast_neural_style", "fast_neural_style",
            [Step("neural_style/neural_style.py",
                  ["train", "--dataset", "../coco", "--style-image", "../style.jpg", "--epochs", "1",
                   "--batch-size", "2", "--image-size", "64", "--save-model-dir", "models",
                   "--log-interval", "1"]),
             Step("neural_style/neural_style.py",
                  lambda ex: ["eval", "--content-image", "../content.jpg",
                              "--model", _newest("models/*.model")(ex), "--output-image", "out.jpg"])],
            _coco_like, note="VGG16 loss network has random weights (no download here)"),
    Example("gat", "gat", [Step("main.py", ["--epochs", "3", "--val-every", "1"])], _cora_here),
    Example("gcn", "gcn", [Step("main.py", ["--epochs", "3", "--val-every", "1"])], _cora_tgz),
    Example("ddp-tutorial-series multigpu_torchrun", "distributed/ddp-tutorial-series",
            [_torchrun("multigpu_torchrun.py", "2", "1", "--batch_size", "32"),
             _torchrun("multigpu_torchrun.py", "3", "1", "--batch_size", "32")],
            seeded=False, env=_CUDA_ON_CPU,
            note="torchrun 2 processes, DDP + DistributedSampler; the second run resumes from the snapshot; "
                 + _DDP_NOTE),
    Example("ddp-tutorial-series multinode", "distributed/ddp-tutorial-series",
            [_torchrun("multinode.py", "2", "1", "--batch_size", "32",
                       launch=("--nnodes=1", "--rdzv_id=101", "--rdzv_backend=c10d",
                               "--rdzv_endpoint=127.0.0.1:29511"))],
            seeded=False, env=_CUDA_ON_CPU, note="torchrun with a rendezvous endpoint, 1 node x 2; " + _DDP_NOTE),
    Example("ddp-tutorial-series single_gpu", "distributed/ddp-tutorial-series",
            [Step("single_gpu.py", ["1", "1", "--batch_size", "32"])], seeded=False, env=_CUDA_ON_CPU,
            note=_DDP_NOTE),
    Example("distributed/ddp example.py", "distributed/ddp",
            [_torchrun("example.py", launch=("--nnodes=1", "--rdzv_id=101", "--rdzv_endpoint=localhost:5972"))],
            seeded=False, env=_CUDA_ON_CPU,
            note="run_example.sh's torchrun line (rendezvous endpoint 'localhost'); verify_min_gpu_count(2) "
                 "sees LOCAL_WORLD_SIZE=2 devices under MSTORCH_CUDA_TO_CPU=1; unseeded torch.randn"),
    Example("distributed/minGPT-ddp", "distributed/minGPT-ddp/mingpt",
            [_torchrun("main.py", "data_config.path=data/input.txt", "data_config.truncate=0.004",
                       "data_config.block_size=32", "gpt_config.n_layer=2", "gpt_config.n_head=2",
                       "gpt_config.n_embd=32", "trainer_config.max_epochs=2", "trainer_config.batch_size=32",
                       "trainer_config.data_loader_workers=0", "trainer_config.save_every=1")],
            seeded=False, env=_CUDA_ON_CPU,
            note="hydra overrides on the command line: the checkout's tinyshakespeare copy (its URL is not "
                 "reachable), a 2-layer 32-wide GPT, 2 epochs (AMP GradScaler, snapshots each epoch); "
                 "unseeded model initialisation"),
    Example("ddp-tutorial-series multigpu", "distributed/ddp-tutorial-series",
            [Step("multigpu.py", ["2", "1", "--batch_size", "32"])], seeded=False, env=_CUDA_ON_CPU,
            note="mp.spawn over torch.cuda.device_count() processes (1 outside a torchrun launch), "
                 "MASTER_ADDR='localhost'; " + _DDP_NOTE),
    Example("imagenet", "imagenet",
            [Step("main.py", ["--dummy", "-a", "resnet18", "--epochs", "1", "-b", "2", "-j", "0",
                              "--print-freq", "1", "--seed", "1"],
                  stop_after=(r"Epoch: \[0\]\[\s*3/", 1))],
            note="--dummy has 1.28M fake images: stopped after 4 steps"),
]

# Examples that are not run, with the reason (read from their code and requirements).
NOT_RUN = {
    "distributed/FSDP, FSDP2, tensor_parallelism": "sharded data parallelism and DTensor: out of scope (mstorch "
                                                    "raises NotImplementedError naming FSDP/fully_shard)",
    "distributed/rpc": "torch.distributed.rpc is not implemented",
    "imagenet --multiprocessing-distributed": "after the distributed issue",
    "siamese_network": "needs NumPy 2: main.py calls np.array(..., copy=None), which NumPy 1.26 "
                       "rejects (ValueError: NoneType copy mode not allowed) under real torch too; "
                       "MindSpore 2.10 pins NumPy < 2",
    "reinforcement_learning": "needs gymnasium[classic-control] (not installed; environments, not torch)",
    "language_translation": "needs torchtext, torchdata==0.9.0 and spacy models downloaded at run time "
                            "(no network); torchtext is built against real torch's C++ ABI",
    "legacy/snli": "legacy: torchtext's retired datasets API and spacy downloads",
    "fx": "torch.fx graph tracing: not in this table (separate issue)",
    "cpp": "C++ frontend (libtorch), not Python",
}


def by_name(names):
    wanted = {n.strip() for n in names.split(",") if n.strip()}
    chosen = [e for e in EXAMPLES if e.name in wanted or e.folder in wanted]
    missing = wanted - {e.name for e in chosen} - {e.folder for e in chosen}
    if missing:
        raise SystemExit(f"unknown example(s): {', '.join(sorted(missing))}; "
                         f"known: {', '.join(e.name for e in EXAMPLES)}")
    return chosen
