"""The bench's stopwatch: run one command, wait for it, write its wall time and peak RSS as JSON.

Usage: ``python -I -S measure.py TIMEOUT RESULT_JSON COMMAND...``. The command inherits this
process's standard streams and runs in its own session; after ``TIMEOUT`` seconds that session is
killed and the run is marked as timed out.

It is a separate, small process on purpose: on Linux a child's ``ru_maxrss`` starts at its
parent's resident size at fork time (``exec`` keeps the high-water mark), so measuring straight
from the bench process, which holds polars and the generated data (about 90 MB), would put that
floor under every figure. Started with ``-I -S`` and only the standard library, this one weighs
about 10 MB, less than any tool measured.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time


def main() -> int:
    timeout, result_path, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its own session, so that a timeout kills it and all it started
        try:
            os.setsid()
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    timed_out = False

    def stop(signum: int, frame: object) -> None:
        nonlocal timed_out
        timed_out = True
        with contextlib.suppress(ProcessLookupError):  # it may have just ended
            os.killpg(pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    # wait4 gives this very child's rusage (getrusage(RUSAGE_CHILDREN) would mix in any other).
    _, status, usage = os.wait4(pid, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - started
    with open(result_path, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "seconds": seconds,
                # CPU time moves less than wall time when other work shares the machine.
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_bytes": usage.ru_maxrss * 1024,  # kilobytes on Linux
                "exit_code": os.waitstatus_to_exitcode(status),
                "timed_out": timed_out,
            },
            fh,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
