"""The `corobot` command line: run, validate, template, demo, watch, login, history, doctor, serve, user (and the
portal readers harvest, reconcile, worklist). Exit codes: robot.core.exit_codes."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from robot import __version__
from robot.core.account_settings import UnknownAccount, chosen_accounts
from robot.core.config import ConfigError, load_settings
from robot.core.errors import InputFileError
from robot.core.exit_codes import ExitCode
from robot.core.logs import setup_logging
from robot.core.model import Authority

FORCE_HELP = "输出文件已存在时覆盖它（默认不覆盖，退出码 2）"


def _authority(text: str) -> Authority:
    value = Authority.parse(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"签证机构只能是 海关 或 贸促会，而不是“{text}”")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，而不是“{text}”") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corobot", description="单一窗口 出口报关单补录 机器人")
    parser.add_argument("--version", action="version", version=f"corobot {__version__}")
    parser.add_argument("--config", type=Path, help="配置文件（默认 ./corobot.toml）")
    parser.add_argument("-v", "--verbose", action="store_true", help="终端显示调试信息")
    # The same two options after the command name too (`corobot run X --config y.toml`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="配置文件（默认 ./corobot.toml）")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="终端显示调试信息")
    sub = parser.add_subparsers(dest="command", required=True)
    original_add_parser = sub.add_parser

    def add_parser(name: str, **kwargs: object) -> argparse.ArgumentParser:
        return original_add_parser(name, parents=[common], **kwargs)  # type: ignore[arg-type]

    sub.add_parser = add_parser  # type: ignore[method-assign]

    run = sub.add_parser("run", help="按工作簿逐行补录报关单号")
    run.add_argument("workbook", type=Path)
    run.add_argument("--sheet", help="工作表名（默认 补录清单，否则第一个）")
    run.add_argument("--authority", type=_authority, help="签证机构（海关|贸促会），工作簿中未填时使用")
    run.add_argument("--out", type=Path, help="结果文件目录（默认与输入文件同目录）")
    run.add_argument("--dry-run", action="store_true", help="试运行：做完一切但不点【提交】")
    run.add_argument("--headed", action="store_true", help="显示浏览器窗口（验证码识别失败时可人工输入）")
    run.add_argument("--workers", type=int, help="并行标签页数（默认 1，最多 max_workers=2）")
    run.add_argument(
        "--search-mode",
        choices=["list", "row"],
        help="list：同一查询条件的行按结果列表逐页补录（默认）；row：每行单独【查询】",
    )
    run.add_argument("--cdp", help="连接操作员已登录的 Chrome（如 http://127.0.0.1:9222），不另开浏览器")
    run.add_argument("--account", help="账号（corobot.toml 中 [accounts.<名称>]），工作簿中未填 账号 的行使用")

    val = sub.add_parser("validate", help="只检查输入工作簿，不启动浏览器")
    val.add_argument("workbook", type=Path)
    val.add_argument("--sheet")
    val.add_argument("--authority", type=_authority)
    val.add_argument("--account", help="账号，工作簿中未填 账号 的行使用")

    tpl = sub.add_parser("template", help="生成空白输入工作簿")
    tpl.add_argument("out", type=Path)
    tpl.add_argument("--force", action="store_true", help=FORCE_HELP)

    watch = sub.add_parser("watch", help="无人值守：处理收件箱中放入的工作簿（done/ failed/ 存放结果）")
    watch.add_argument("--inbox", type=Path, help="收件箱目录（默认 data/inbox/）")
    watch.add_argument("--once", action="store_true", help="只看一次收件箱，处理完即退出（供任务计划/cron 调用）")
    when = watch.add_mutually_exclusive_group()
    when.add_argument("--every", help="每隔多久看一次收件箱，如 30m、2h（默认 10m）")
    when.add_argument("--cron", help='按 cron 表达式看收件箱，如 "0 */2 * * *"（本地时间）')
    watch.add_argument("--cdp", help="连接操作员已登录的 Chrome（如 http://127.0.0.1:9222）")

    login = sub.add_parser("login", help="登录一次并保存登录状态，供无人值守运行使用")
    login.add_argument("--headed", action="store_true", help="打开浏览器窗口，由操作员手工登录（含验证码）")
    login.add_argument("--cdp", help="复制操作员已登录的 Chrome 的登录状态（如 http://127.0.0.1:9222，卡介质登录）")
    login.add_argument("--account", help="登录哪个账号（默认 default 或唯一的账号）")

    doctor = sub.add_parser("doctor", help="门户勘察：按指南逐步查找页面上的文字（只读，不提交），写资料包")
    doctor.add_argument("--headed", action="store_true", help="显示浏览器窗口（验证码可由操作员输入）")
    doctor.add_argument("--out", type=Path, help="资料包目录（默认 data/out/doctor-<时间>）")

    hist = sub.add_parser("history", help="列出以往运行（数量与报告位置）")
    hist.add_argument("--last", type=int, default=10, help="显示最近几次（默认 10）")
    hist.add_argument("--account", help="只列出该账号的运行（默认全部账号）")

    harvest = sub.add_parser("harvest", help="导出 补录信息查询 的全部记录")
    harvest.add_argument("out", type=Path, help="输出工作簿 .xlsx")
    harvest.add_argument("--force", action="store_true", help=FORCE_HELP)
    harvest.add_argument("--authority", type=_authority)
    harvest.add_argument("--from", dest="date_from", type=_date, help="补录日期起 YYYY-MM-DD")
    harvest.add_argument("--to", dest="date_to", type=_date, help="补录日期止 YYYY-MM-DD")
    harvest.add_argument("--status", help="补录状态，如 海关接收成功")
    harvest.add_argument("--details", action="store_true", help="逐条打开【详情】读取全部字段")
    harvest.add_argument("--account", help="只导出该账号的记录（默认全部账号）")

    reconcile = sub.add_parser("reconcile", help="查询已提交但尚无最终状态的补录，并写对账报告")
    reconcile.add_argument("--out", type=Path, help="报告目录（默认 data/out）")
    reconcile.add_argument("--account", help="只对账该账号（默认全部账号）")

    worklist = sub.add_parser("worklist", help="生成待补录清单（尚无海关接收成功补录的已审核证书）")
    worklist.add_argument("out", type=Path, help="输出工作簿 .xlsx")
    worklist.add_argument("--force", action="store_true", help=FORCE_HELP)
    worklist.add_argument("--authority", type=_authority)
    worklist.add_argument("--from", dest="date_from", type=_date, help="证明创建日期起 YYYY-MM-DD")
    worklist.add_argument("--to", dest="date_to", type=_date, help="证明创建日期止 YYYY-MM-DD")
    worklist.add_argument("--exporter", help="出口商代码")
    worklist.add_argument("--account", help="只查该账号的证书（默认全部账号）")

    serve = sub.add_parser("serve", help="机器人服务 + 网页控制台（上传、进度、历史、验证码人工输入）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1 仅本机；0.0.0.0 对办公网开放）")
    serve.add_argument("--port", type=int, default=8765, help="端口（默认 8765）")
    serve_when = serve.add_mutually_exclusive_group()
    serve_when.add_argument("--every", help="每隔多久看一次收件箱（默认 watch_every=10m）")
    serve_when.add_argument("--cron", help='按 cron 表达式看收件箱，如 "0 */2 * * *"')
    serve.add_argument("--cdp", help="连接操作员已登录的 Chrome（如 http://127.0.0.1:9222）")
    serve.add_argument(
        "--proxy",
        default="",
        metavar="地址",
        help="反向代理的地址（逗号分隔）：只相信它们发来的 X-Forwarded-For/-Proto（默认不相信任何）",
    )
    serve.add_argument("--tls-cert", type=Path, help="HTTPS 证书文件（PEM，与 --tls-key 一起）")
    serve.add_argument("--tls-key", type=Path, help="HTTPS 私钥文件（PEM）")

    user = sub.add_parser("user", help="控制台账号：user add 名字 | user passwd 名字")
    user.add_argument("action", choices=["add", "passwd"])
    user.add_argument("name")
    user.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（供脚本使用）")

    demo = sub.add_parser("demo", help="用内置模拟门户演示完整流程")
    demo.add_argument("--out", type=Path, default=Path("data/out/demo"), help="演示文件目录")
    demo.add_argument("--headed", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ConfigError as error:
        print(f"配置错误：{error}", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    except UnknownAccount as error:
        print(str(error), file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)


def _dispatch(args: argparse.Namespace) -> int:
    if getattr(args, "force", None) is False and args.out.exists():
        # template, worklist and harvest write a whole workbook: never over one the user has filled in
        print(f"文件已存在：{args.out}。请换一个文件名，或加 --force 覆盖它。", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    if args.command == "validate":
        return _validate(args)
    if args.command == "template":
        from robot.books.template import write_template

        write_template(args.out)
        print(f"已生成空白输入工作簿：{args.out}")
        return int(ExitCode.OK)
    if args.command == "demo":
        from robot.commands.demo import run_demo

        return int(run_demo(args.out, headed=args.headed, verbose=args.verbose))
    if args.command == "doctor":
        from robot.commands.doctor_cmd import run_doctor

        return int(run_doctor(load_settings(args.config, {}), args.headed, args.out, args.verbose))
    if args.command in ("harvest", "reconcile", "worklist"):
        return _portal_reader(args)
    if args.command in ("watch", "login", "history"):
        return _unattended(args)
    if args.command in ("serve", "user"):
        from robot.commands import console_cmd

        if args.command == "user":
            return console_cmd.user(load_settings(args.config, {}), args.action, args.name, args.password_stdin)
        settings = load_settings(args.config, {"cdp_url": args.cdp})
        return console_cmd.serve(
            settings, args.host, args.port, args.every, args.cron, args.verbose, args.proxy, args.tls_cert, args.tls_key
        )
    from robot.commands.unattended import locked_run
    from robot.engine.job import RunRequest

    overrides = {
        "out_dir": args.out,
        "workers": args.workers,
        "search_mode": args.search_mode,
        "headed": True if args.headed else None,
        "cdp_url": args.cdp,
    }
    settings = load_settings(args.config, overrides)
    chosen_accounts(settings, args.account)  # an unknown --account: exit 2 before anything else
    return locked_run(
        settings, RunRequest(args.workbook, args.sheet, args.authority, args.dry_run, args.verbose, args.account)
    )


def _unattended(args: argparse.Namespace) -> int:
    """watch, login and history (robot.commands.unattended)."""
    from robot.commands import unattended

    if args.command == "history":
        settings = load_settings(args.config, {})
        label = chosen_accounts(settings, args.account)[0].label if args.account else None
        return unattended.history(settings.state_dir, args.last, label)
    if args.command == "login":
        settings = load_settings(args.config, {})
        return unattended.login(settings, args.headed, args.cdp, args.verbose, args.account)
    settings = load_settings(args.config, {"inbox_dir": args.inbox, "cdp_url": args.cdp})
    return unattended.watch(settings, args.once, args.every, args.cron, args.verbose)


def _portal_reader(args: argparse.Namespace) -> int:
    """harvest, reconcile and worklist: commands that read the portal."""
    settings = load_settings(args.config, {})
    accounts = chosen_accounts(settings, args.account)
    if args.command == "harvest":
        from robot.commands.harvest import run_harvest

        return int(
            run_harvest(
                settings,
                args.out,
                args.authority,
                args.date_from,
                args.date_to,
                args.status,
                args.details,
                args.verbose,
                accounts,
            )
        )
    if args.command == "worklist":
        from robot.commands.worklist import run_worklist

        return int(
            run_worklist(
                settings, args.out, args.authority, args.date_from, args.date_to, args.exporter, args.verbose, accounts
            )
        )
    from robot.commands.wiring import portal_workers
    from robot.engine.reconcile import run_reconcile

    return int(run_reconcile(settings, args.out, args.verbose, accounts, workers=portal_workers))


def _validate(args: argparse.Namespace) -> int:
    from robot.books.account_column import assign_accounts
    from robot.books.workbook_in import read_input

    setup_logging(None, args.verbose)
    settings = load_settings(args.config, {})
    run_account = chosen_accounts(settings, args.account)[0] if args.account else None
    try:
        book = read_input(args.workbook, args.sheet, args.authority, settings=settings)
    except InputFileError as error:
        print(f"输入文件无法使用：{error}", file=sys.stderr)
        return int(ExitCode.INPUT_UNUSABLE)
    assign_accounts(book, chosen_accounts(settings, None), run_account)
    for rejection in book.rejections:
        print(rejection.message())
    invalid = sum(1 for r in book.rows if r.rejections)
    print(f"共 {len(book.rows)} 行：有效 {len(book.tasks)} 行，无效 {invalid} 行")
    return int(ExitCode.ROWS_FAILED if invalid else ExitCode.OK)


if __name__ == "__main__":
    raise SystemExit(main())
