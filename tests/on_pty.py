#!/usr/bin/env python3
"""on_pty.py COMMAND...: run COMMAND with its standard output and error on a
pseudo-terminal (stdin from /dev/null), print what it wrote with CR LF turned back into LF,
and exit with its exit status. The diagnostics tests use it to see what a user at a
terminal sees (source lines and carets, contract §13)."""
import os
import subprocess
import sys


def main():
    master, slave = os.openpty()
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave,
                             stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer closed the slave
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    rc = child.wait()
    sys.stdout.write(b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))
    return rc


if __name__ == "__main__":
    sys.exit(main())
