"""The sample county in examples/data is generated, deterministic and up to date."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "examples" / "make_sample_county.py"
COMMITTED = Path(os.environ.get("GRIDGOV_EXAMPLES_DATA", ROOT / "examples" / "data"))


def generate(out):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True)
    return sorted(p.name for p in out.iterdir())


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    written = generate(tmp_path)
    assert "county.json" in written and "county.csv" in written
    for name in written:
        fresh = (tmp_path / name).read_bytes()
        committed = COMMITTED / name
        assert committed.exists(), f"{name} is generated but not committed in examples/data"
        assert fresh == committed.read_bytes(), (
            f"examples/data/{name} is out of date: run python3 examples/make_sample_county.py")


def test_every_committed_data_file_comes_from_the_generator(tmp_path):
    written = set(generate(tmp_path))
    committed = {p.name for p in COMMITTED.iterdir() if p.is_file()}
    assert committed <= written, f"not produced by the generator: {sorted(committed - written)}"

