"""pytestlib.py - shared by the Python tests: check(NAME, OK, DETAIL) counts and reports
failures, finish() prints the verdict and exits with the status ctest reads."""
import sys

failed = 0


def check(name, ok, detail=""):
    global failed
    if not ok:
        failed += 1
        print("FAIL: %s %s" % (name, detail))


def finish():
    print("ok" if not failed else "%d failed" % failed)
    sys.exit(1 if failed else 0)
