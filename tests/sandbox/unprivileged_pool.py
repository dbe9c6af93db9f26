"""Run by test_isolation as an ordinary user (uid 10001): start a real pool, run snippets, report as JSON.

The production container runs the sandbox as an unprivileged user with a subordinate uid range, mapped
by newuidmap/newgidmap; this script is that service in miniature. The test prepares its world (a user
account and a range in /etc/subuid, in a private mount namespace) and reads the report.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from sandbox.local import LocalSandbox, PoolConfig
from sandbox.result import RunRequest

EXECUTOR = "tests.sandbox.unrestricted_executor"
WHO = "import os\n(os.getuid(), os.getgid())"
HOSTILE = {
    "signal_pool": f"import os\nos.kill({os.getpid()}, 19)",
    "fork": "import os\nos.fork()",
    "socket": "import socket\nsocket.socket()",
}


async def main() -> dict[str, object]:
    report: dict[str, object] = {"pool_uid": os.getuid()}
    config = PoolConfig(concurrency=1, pool_size=2, executor=EXECUTOR, start_timeout_s=120)
    async with LocalSandbox.start(config) as sandbox:
        report["warm_pid"] = sandbox.warm_pid
        with open(f"/proc/{sandbox.warm_pid}/status", encoding="utf-8") as status:
            report["warm_uid"] = next(int(line.split()[1]) for line in status if line.startswith("Uid:"))
        result = await sandbox.run(RunRequest(code=WHO))
        report["who"] = [result.status.value, result.value]
        for name, code in HOSTILE.items():
            result = await sandbox.run(RunRequest(code=code))
            report[name] = [result.status.value, result.error.type if result.error else None]
        children = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/status", encoding="utf-8") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
            except (OSError, ValueError):
                continue
            if int(fields["PPid"]) == sandbox.warm_pid:
                children.append(int(fields["Uid"].split()[0]))
        report["child_uids"] = children
    return report


if __name__ == "__main__":
    sys.stdout.write(json.dumps(asyncio.run(main())))
