"""Programs a bench runs beside the service (wrk, valgrind): installed from Debian when missing."""

from __future__ import annotations

import os
import shutil
import subprocess


def ensure_command(command: str, package: str) -> str:
    """The path of `command`, installing Debian's `package` first when it is not on the PATH.

    Stops the bench with what to install when that fails (no apt-get, no network, no root).
    """
    found = shutil.which(command)
    if found:
        return found
    print(f"installing {package} (Debian package) for the bench")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    for step in (["install"], ["update"], ["install"]):
        arguments = [*sudo, "apt-get", *step, "-y", "-q"] + (
            [package] if step != ["update"] else []
        )
        subprocess.run(arguments, check=False, capture_output=True)
        found = shutil.which(command)
        if found:
            return found
    raise SystemExit(f"{command} is needed: apt-get install {package}")
