"""The `corobot` command line: run, validate, template, demo. Exit codes: robot.exit_codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from robot import __version__
from robot.config import load_settings
from robot.errors import InputFileError
from robot.exit_codes import ExitCode
from robot.logs import setup_logging
from robot.model import Authority


def _authority(text: str) -> Authority:
    value = Authority.parse(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"签证机构只能是 海关 或 贸促会，而不是“{text}”")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corobot", description="单一窗口 出口报关单补录 机器人")
    parser.add_argument("--version", action="version", version=f"corobot {__version__}")
    parser.add_argument("--config", type=Path, help="配置文件（默认 ./corobot.toml）")
    parser.add_argument("-v", "--verbose", action="store_true", help="终端显示调试信息")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="按工作簿逐行补录报关单号")
    run.add_argument("workbook", type=Path)
    run.add_argument("--sheet", help="工作表名（默认 补录清单，否则第一个）")
    run.add_argument("--authority", type=_authority, help="签证机构（海关|贸促会），工作簿中未填时使用")
    run.add_argument("--out", type=Path, help="结果文件目录（默认与输入文件同目录）")
    run.add_argument("--dry-run", action="store_true", help="试运行：做完一切但不点【提交】")
    run.add_argument("--headed", action="store_true", help="显示浏览器窗口（验证码识别失败时可人工输入）")
    run.add_argument("--workers", type=int, help="并行标签页数（默认 1，最多 4）")

    val = sub.add_parser("validate", help="只检查输入工作簿，不启动浏览器")
    val.add_argument("workbook", type=Path)
    val.add_argument("--sheet")
    val.add_argument("--authority", type=_authority)

    tpl = sub.add_parser("template", help="生成空白输入工作簿")
    tpl.add_argument("out", type=Path)

    demo = sub.add_parser("demo", help="用内置模拟门户演示完整流程")
    demo.add_argument("--out", type=Path, default=Path("data/out/demo"), help="演示文件目录")
    demo.add_argument("--headed", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return _validate(args)
    if args.command == "template":
        from robot.template import write_template

        write_template(args.out)
        print(f"已生成空白输入工作簿：{args.out}")
        return int(ExitCode.OK)
    if args.command == "demo":
        from robot.demo import run_demo

        return int(run_demo(args.out, headed=args.headed, verbose=args.verbose))
    from robot.job import RunRequest, run_job

    overrides = {"out_dir": args.out, "workers": args.workers, "headed": True if args.headed else None}
    settings = load_settings(args.config, overrides)
    result = run_job(settings, RunRequest(args.workbook, args.sheet, args.authority, args.dry_run, args.verbose))
    return int(result.exit_code)


def _validate(args: argparse.Namespace) -> int:
    from robot.workbook_in import read_input

    setup_logging(None, args.verbose)
    try:
        book = read_input(args.workbook, args.sheet, args.authority)
    except InputFileError as error:
        print(f"输入文件无法使用：{error}", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    for rejection in book.rejections:
        print(rejection.message())
    invalid = sum(1 for r in book.rows if r.rejections)
    print(f"共 {len(book.rows)} 行：有效 {len(book.tasks)} 行，无效 {invalid} 行")
    return int(ExitCode.ROWS_FAILED if invalid else ExitCode.OK)


if __name__ == "__main__":
    raise SystemExit(main())
