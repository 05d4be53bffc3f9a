"""A long fuzz run: the property-based and fuzz tests with many examples.

Runs ``python -m pytest tests/test_fuzz_*.py tests/test_properties.py -p
no:cacheprovider -q --hypothesis-show-statistics`` with the "long" Hypothesis
profile of ``tests/conftest.py`` (``HYPOTHESIS_PROFILE=long``: 500 examples a
test, against 25 in the test command), then prints, from pytest's and
Hypothesis' output, the examples each test ran (passing, failing and invalid,
over all phases), the failed tests, and the wall time. The full output is
printed first, for the failures' tracebacks and minimal examples. The exit
status is pytest's.

``--max-examples N`` sets the profile's examples a test (through
``HYPOTHESIS_MAX_EXAMPLES``), to fit a run in a time budget: on 2 CPU cores,
500 examples a test took 43 s, 4000 took 5 minutes. Tests that set fewer examples
themselves (slow fits) keep their number.

Run: python -m benchmarks.tools.fuzz [--max-examples N] [pytest arguments]
"""

import argparse
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# "  - 500 passing, 0 failing, and 77 invalid test cases", once per phase.
EXAMPLES = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid")
TEST = re.compile(r"^(tests/\S+::\S+):$")


def examples_per_test(output):
    """``{test: [passing, failing, invalid]}`` summed over Hypothesis' phases."""
    counts = defaultdict(lambda: [0, 0, 0])
    test = None
    for line in output.splitlines():
        if match := TEST.match(line.strip()):
            test = match.group(1)
        elif (match := EXAMPLES.search(line)) and test is not None:
            for i, count in enumerate(match.groups()):
                counts[test][i] += int(count)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=None)
    args, pytest_args = parser.parse_known_args()
    environment = {**os.environ, "HYPOTHESIS_PROFILE": "long"}
    if args.max_examples is not None:
        environment["HYPOTHESIS_MAX_EXAMPLES"] = str(args.max_examples)
    tests = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("tests/test_fuzz_*.py"))
    command = [
        sys.executable,
        "-m",
        "pytest",
        *tests,
        "tests/test_properties.py",
        "-p",
        "no:cacheprovider",
        "-q",
        "--hypothesis-show-statistics",
        *pytest_args,
    ]
    start = time.perf_counter()
    run = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    output = run.stdout + run.stderr
    print(output)
    print("Examples per test (passing, failing, invalid):")
    for test, (passing, failing, invalid) in examples_per_test(output).items():
        print(f"  {test}: {passing} passing, {failing} failing, {invalid} invalid")
    failed = re.findall(r"^FAILED (\S+)", output, flags=re.MULTILINE)
    print(f"Failed tests: {len(failed)}")
    for test in failed:
        print(f"  {test}")
    print(f"Time: {seconds:.0f} s")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
