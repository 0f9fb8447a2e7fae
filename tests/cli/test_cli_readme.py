"""The README's commands and .ci/run stay in step."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_commands():
    return re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text())


def test_readme_has_two_setup_commands():
    example, tests = setup_commands()
    assert example.endswith("python -m mstorch examples/train_classifier.py")
    assert (ROOT / "examples" / "train_classifier.py").is_file()
    assert "pip install -e '.[test]'" in tests


def test_ci_runs_the_readme_test_command():
    test_command = setup_commands()[1].split(" && ")[-1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines
    assert ci_lines[-1] == test_command  # last, so its status is the script's status
