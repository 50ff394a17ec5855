"""`python -m bench.fuzz` (`make fuzz SEEDS=N`): the robot's main job and `corobot doctor` on mock
portals whose pages vary by seed (mock_portal/variants.py).

For each seed: a fresh layui mock portal `--variant SEED`; `corobot doctor` (read-only); then
`corobot run` on a small valid workbook made from that portal's data; the portal's test API tells how
many rows were submitted exactly once (with `--out`, each seed's folder keeps what doctor and run
printed, doctor.txt and run.txt, the report and the doctor bundle). The login expires when the 2nd row is stored
(`--expire-after-submits`), so that each variant's way of saying so is met. One line per seed:

    seed 48213  rows 3/3  run exit 0  doctor exit 0 (16/16 找到)  agree

`agree` means doctor said "all found" (exit 0) exactly when the run submitted every row once and
ended with exit 0 (every row 成功, its receipt read). Seeds
are random unless given (`--seeds 1,2,3` or COROBOT_TEST_SEEDS); `--force dialog=type1` sets
dimensions whatever the seed says (to try one alone). The exit status is 1 when a seed fails or
disagrees. tests/e2e/test_variants.py runs the same on three seeds.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.workbooks import USER, good_numbers, save_rows
from mock_portal.harness import DEMO_PASSWORD, Portal, start_portal, stop_portal
from mock_portal.variants import Variant

RUN_TIMEOUT_S = 900
DOCTOR_TIMEOUT_S = 600
PORTAL_START_S = 120
"""A fresh portal per seed may take long to start on a loaded machine (the harness's 30 s once ended a run)."""
EXPIRE_AFTER = 2
"""The run's login expires when its 2nd 补录 is stored: the variant's way of saying so is met every time."""


@dataclass
class SeedResult:
    seed: int
    variant: str
    rows: int
    submitted_once: int
    sent_twice: int
    run_exit: int
    doctor_exit: int
    doctor_found: int
    doctor_steps: int
    doctor_missing: list[str]
    seconds: float

    @property
    def run_ok(self) -> bool:
        """Every row submitted exactly once, and the run says so (exit 0: every row 成功, receipts read)."""
        return self.submitted_once == self.rows and not self.sent_twice and self.run_exit == 0

    @property
    def passed(self) -> bool:
        """The run did every row and doctor found every step."""
        return self.run_ok and self.doctor_exit == 0

    @property
    def agrees(self) -> bool:
        """Doctor exits 0 exactly when the run does every row."""
        return (self.doctor_exit == 0) == self.run_ok

    def line(self) -> str:
        doctor = f"doctor exit {self.doctor_exit} ({self.doctor_found}/{self.doctor_steps} 找到)"
        if self.doctor_missing:
            doctor += " 未找到 " + "; ".join(self.doctor_missing)[:160]
        twice = f" ({self.sent_twice} sent twice)" if self.sent_twice else ""
        return (
            f"seed {self.seed:<6} rows {self.submitted_once}/{self.rows}{twice}  run exit {self.run_exit}  "
            f"{doctor}  {'agree' if self.agrees else 'DISAGREE'}  [{self.seconds:.0f} s]"
        )


def seeds_from(text: str | None, count: int, run_id: str | None = None) -> list[int]:
    """The seeds named in `text` ("1,2,3"), else `count` fresh ones (never 0) drawn from `run_id` when
    given (one run's processes then draw the same seeds), else from the clock."""
    if text and text.strip():
        return [int(s) for s in text.replace(" ", "").split(",") if s]
    rng = random.Random(run_id or time.time_ns())
    return [rng.randrange(1, 100_000) for _ in range(count)]


def build_workbook(portal: Portal, path: Path) -> list[str]:
    """A small valid workbook from the portal's data: 海关 是 (one number), 贸促会 是 (two numbers),
    海关 否. Returns the 证明号 of its rows."""
    certs = [c for c in portal.api.certificates(USER) if c["approved"]]
    good = good_numbers(portal.api)
    customs = [c for c in certs if c["authority"] == "海关"]
    ccpit = [c for c in certs if c["authority"] == "贸促会"]
    rows = [
        ["海关", customs[0]["certNo"], "是", good[0], "", "fuzz 是"],
        ["贸促会", ccpit[0]["certNo"], "是", f"{good[1]};{good[2]}", "", "fuzz 两个报关单号"],
        ["海关", customs[1]["certNo"], "否", "", "", "fuzz 否"],
    ]
    save_rows(path, rows)
    return [str(r[1]) for r in rows]


def _robot(args: list[str], url: str, state: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CO_PORTAL_URL": url,
        "CO_USERNAME": USER,
        "CO_PASSWORD": DEMO_PASSWORD,
        "CO_CAPTCHA_SOLVER": "test-api",
        "CO_STATE_DIR": str(state),
        "CO_RECEIPT_DEADLINE_S": "120",
        "CO_RECEIPT_POLL_S": "1",
        "CO_BACKOFF_S": "0.2",
        "CO_MIN_SUBMIT_INTERVAL_S": "0",
    }
    try:
        return subprocess.run(
            [sys.executable, "-m", "robot", *args], env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        out = error.stdout.decode() if isinstance(error.stdout, bytes) else (error.stdout or "")
        return subprocess.CompletedProcess(args, -1, out, "timeout")


def try_seed(
    seed: int, workdir: Path, force: str = "", expire_after: int = EXPIRE_AFTER, extra: tuple[str, ...] = ()
) -> SeedResult:
    """Doctor, then the main job, on a fresh portal of variant `seed` whose sessions expire at the
    `expire_after`-th 补录 (0 = never), so that the variant's session expiry is met too. `extra`: more
    mock portal flags (a step broken on purpose: `--rename-menu`, `--break-page`)."""
    started = time.monotonic()
    variant = Variant.from_seed(seed, force)
    flags = ["--test-api", "--receipt-delay", "1", "--variant", str(seed), "--expire-after-submits", str(expire_after)]
    if force:
        flags += ["--variant-force", force]
    portal = start_portal(*flags, *extra, frontend="layui", timeout=PORTAL_START_S)
    folder = workdir / f"seed-{seed}"
    try:
        doctor = _robot(
            ["doctor", "--out", str(folder / "doctor")], portal.url, folder / "doctor-state", DOCTOR_TIMEOUT_S
        )
        steps = [line for line in doctor.stdout.splitlines() if line.startswith("[")]
        missing = [line.split("]")[0][1:] for line in steps if "未找到" in line]
        book = folder / "清单.xlsx"
        cert_nos = build_workbook(portal, book)
        run = _robot(["run", str(book), "--out", str(folder / "out")], portal.url, folder / "state", RUN_TIMEOUT_S)
        counts = [len(portal.api.submissions(enterprise=USER, cert_no=no)) for no in cert_nos]
        (folder / "doctor.txt").write_text(doctor.stdout + doctor.stderr, encoding="utf-8")
        (folder / "run.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    finally:
        stop_portal(portal)
    return SeedResult(
        seed,
        variant.describe(),
        len(cert_nos),
        sum(c == 1 for c in counts),
        sum(c > 1 for c in counts),
        run.returncode,
        doctor.returncode,
        sum("] 找到" in line for line in steps),
        len(steps),
        missing,
        time.monotonic() - started,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="how many random seeds (default 3)")
    parser.add_argument(
        "--seed",
        default=os.environ.get("COROBOT_TEST_SEEDS", ""),
        help="these seeds instead, comma-separated (env COROBOT_TEST_SEEDS)",
    )
    parser.add_argument(
        "--force",
        default=os.environ.get("MOCK_VARIANT_FORCE", ""),
        help="variant dimensions set on every seed, e.g. dialog=type1",
    )
    parser.add_argument(
        "--expire-after-submits",
        type=int,
        default=EXPIRE_AFTER,
        help=f"the login expires at this 补录 (default {EXPIRE_AFTER}; 0 = never)",
    )
    parser.add_argument("--out", default="", help="keep reports and doctor bundles here (default: a temp folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print each seed's variant")
    args = parser.parse_args(argv)
    seeds = seeds_from(args.seed, args.seeds)
    print(
        f"fuzz: {len(seeds)} seeds: {','.join(map(str, seeds))}" + (f" (force {args.force})" if args.force else ""),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="corobot-fuzz-") as tmp:
        workdir = Path(args.out) if args.out else Path(tmp)
        results = []
        for seed in seeds:
            result = try_seed(seed, workdir, args.force, args.expire_after_submits)
            results.append(result)
            print(result.line(), flush=True)
            if args.verbose:
                print(f"    {result.variant}", flush=True)
    passed = sum(r.passed for r in results)
    agreed = sum(r.agrees for r in results)
    print(f"fuzz: {passed}/{len(results)} seeds passed, agreement {agreed}/{len(results)}", flush=True)
    return 0 if passed == agreed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
