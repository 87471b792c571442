"""Run a command in this process and write its own peak memory to a file when it ends.

    python bench/measure.py OUT.json -m newsletter --site SITE send POST --yes
    python bench/measure.py OUT.json bench/careful_script.py ARGS...

A process's ``ru_maxrss`` as its parent reads it (``RUSAGE_CHILDREN``) is the largest of all its
children, and a forked child's starts at its parent's peak: a bench that read it reported 154 MB
for a `status` that peaks at 35 MB. This wrapper is exec'd fresh, so ``VmHWM`` in its own
/proc/self/status, read just before it exits, is the command's own peak resident memory
(Linux). CPU time is the parent's to read (``os.wait4`` on this process).
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path


def own_peak_mb() -> float | None:
    """This process's peak resident set (VmHWM), in MB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    out, target, *args = sys.argv[1:]
    code = 0
    try:
        if target == "-m":
            module, *args = args
            sys.argv = [module, *args]
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            sys.argv = [target, *args]
            runpy.run_path(target, run_name="__main__")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        Path(out).write_text(json.dumps({"peak_mb": own_peak_mb()}))
    sys.exit(code)


if __name__ == "__main__":
    main()
