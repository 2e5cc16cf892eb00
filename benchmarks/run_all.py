"""Run every benchmark script in benchmarks/ with quick defaults; print one JSON summary (`make bench`).

    .venv/bin/python benchmarks/run_all.py [--only NAME ...] [--timeout 900]

Each script runs in its own process (OMP_NUM_THREADS=1); its stdout must be JSON (a script that
prints one JSON object per line has its lines collected in a list). Scripts not listed in QUICK
run with no arguments. A failing script is reported with its exit code and stderr tail; the
summary's exit code is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SKIP = {"run_all.py", "corpus.py", "__init__.py"}
# Short variants, so that `make bench` finishes in minutes on a shared 2-core machine.
QUICK: dict[str, list[str]] = {
    "bench_e2e.py": ["--articles", "1500", "--paced-seconds", "10", "--workers", "2"],
    "bench_soak.py": ["--minutes", "2", "--warmup-seconds", "30"],
    "bench_stages.py": ["--articles", "600", "--held", "5000"],
    "bench_dedup.py": ["--held", "100000", "--articles", "1000"],
    "bench_nlp.py": ["--articles", "100"],
}


def parse_output(stdout: str) -> Any:
    try:
        return json.loads(stdout)
    except ValueError:
        lines = [line for line in stdout.splitlines() if line.strip()]
        return [json.loads(line) for line in lines]


def run_script(path: Path, timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(path), *QUICK.get(path.name, [])]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout}s", "command": command[1:]}
    result: dict[str, Any] = {"ok": done.returncode == 0, "seconds": round(time.monotonic() - started, 1),
                              "command": command[1:]}  # fmt: skip
    if done.returncode != 0:
        result["error"] = f"exit code {done.returncode}"
        result["stderr_tail"] = done.stderr[-2000:]
        return result
    try:
        result["result"] = parse_output(done.stdout)
    except ValueError:
        result.update(ok=False, error="stdout is not JSON", stdout_tail=done.stdout[-2000:])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="script names (e.g. bench_stages.py) to run instead of all")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per script")
    args = parser.parse_args()
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in SKIP)
    if args.only:
        scripts = [p for p in scripts if p.name in set(args.only)]
    summary = {}
    for script in scripts:
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        summary[script.name] = run_script(script, args.timeout)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    sys.exit(0 if all(r["ok"] for r in summary.values()) else 1)


if __name__ == "__main__":
    main()
