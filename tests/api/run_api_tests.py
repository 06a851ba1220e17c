#!/usr/bin/env python3
"""Runs the black-box API suite against a real `fachwerk` binary.

    python3 tests/api/run_api_tests.py                 # everything
    python3 tests/api/run_api_tests.py test_isolation  # one module (or module.Class.test)
    FACHWERK_BIN=/path/to/fachwerk python3 tests/api/run_api_tests.py

Equivalent to `python3 -m unittest discover -s tests/api -v`. Set FACHWERK_KEEP_DATA=1 to keep
each class's temporary directory (data and server.log). Exits non-zero when a test fails.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    sys.path.insert(0, HERE)
    import fachwerk_client

    binary = fachwerk_client.binary_path()
    print(f"fachwerk binary: {binary}", flush=True)
    if not os.path.exists(binary):
        print("the binary does not exist: build it (cmake -S . -B build -G Ninja && "
              "ninja -C build fachwerk) or set FACHWERK_BIN", file=sys.stderr)
        return 2
    loader = unittest.defaultTestLoader
    if argv:
        suite = loader.loadTestsFromNames(argv)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
