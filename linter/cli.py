"""The command line (SPEC §2): `ailint check`, `ailint rules`, `ailint explain`, `--version`.

Exit status: 0 no findings left, 1 findings, 2 usage, configuration or internal error
(one line on stderr; a traceback only with --verbose).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from linter import __version__
from linter.config import Config, load_config
from linter.errors import UserError
from linter.report import FORMATS
from linter.rules import all_rules, rule_by_code_or_name, select_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class AilintError(UserError):
    """An error of the command line itself: printed as one line, exit 2."""


def _fail(message: str) -> None:
    click.echo(f"ailint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _print_traceback() -> None:
    import traceback  # only with --verbose

    traceback.print_exc()


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error into one line on stderr and exit 2; tracebacks only with --verbose."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        verbose = kwargs.get("verbose", False)
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            if verbose:
                _print_traceback()
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted")
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # an ailint bug: say so briefly
            if verbose:
                _print_traceback()
            _fail(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for details)")

    return wrapper


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _apply_baseline(outcome: Any, option: str | None, config: Config) -> None:
    """Move the findings recorded in the baseline (--baseline, else `baseline =` in the
    configuration, relative to its file) from `findings` to `baselined`."""
    from linter.baseline import load_baseline

    path = option
    if path is None and config.baseline:
        path = config.baseline
        if config.source is not None and not Path(path).is_absolute():
            path = os.path.relpath(Path(config.root) / path)
    if path is None:
        return
    outcome.findings, outcome.baselined = load_baseline(path).split(outcome.findings)
    outcome.baseline_name = Path(path).as_posix()


def _report_skipped(discovery: Any, paths: tuple[str, ...], verbose: bool) -> None:
    """An explicit path that cannot be checked is an error; with --verbose, say what else
    was skipped. Each skip is reported once (the walk adds to the list as it goes)."""
    for raw, reason in discovery.skipped:
        if raw in paths:
            raise AilintError(f"{raw}: {reason}")
        if verbose:
            click.echo(f"ailint: skipped {raw}: {reason}", err=True)
    discovery.skipped.clear()


def _use_color(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ailint", message="%(prog)s %(version)s")
def cli() -> None:
    """ailint: find leaked keys, insecure endpoints and personal data sent to AI APIs."""


@cli.command()
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option("--output", "output", type=str, help="Write the report to FILE.")
@click.option("--select", help="Comma-separated codes, prefixes (AIL3) or rule names to enable.")
@click.option("--ignore", help="Comma-separated codes, prefixes or rule names to disable.")
@click.option("--extend-select", help="Add to the configured set (for opt-in rules).")
@click.option("--config", "config_file", type=str, help="Configuration file (pyproject.toml or ailint.toml).")
@click.option("--baseline", "baseline_file", type=str, metavar="FILE", help="Hide the findings recorded in this baseline file.")
@click.option("--write-baseline", type=str, metavar="FILE", help="Record every current finding in FILE and exit 0.")
@click.option("--diff", "diff_ref", type=str, metavar="REF", help="Report only findings on lines changed since git REF.")
@click.option("--stdin-filename", help='The path to report for "-" (stdin).')
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes; default: all cores.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the result cache.")
@click.option("--fix", is_flag=True, help="Apply safe automatic fixes (with --unsafe-fixes: unsafe ones too).")
@click.option("--unsafe-fixes", is_flag=True, help="Count unsafe fixes as applicable (applied with --fix).")
@click.option("--diff-fixes", is_flag=True, help="Print the fixes as a unified diff instead of applying them.")
@click.option("--cache-dir", help="Where the result cache lives (default: .ailint_cache beside the configuration).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Print what is checked, timings, and tracebacks.")
@_guarded
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: str | None,
    ignore: str | None,
    extend_select: str | None,
    config_file: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    diff_ref: str | None,
    stdin_filename: str | None,
    jobs: int | None,
    no_cache: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff_fixes: bool,
    cache_dir: str | None,
    exit_zero: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check PATHS (default: the current directory; "-" reads stdin)."""
    from linter.discovery import Discovery, display_path
    from linter.engine.runner import Target, iter_targets, run
    from linter.report import reporter

    paths = paths or (".",)
    reads_stdin = "-" in paths
    if reads_stdin and len(paths) > 1:
        raise click.UsageError('"-" (stdin) cannot be combined with other paths')
    if reads_stdin and (fix or diff_fixes):
        raise click.UsageError("--fix and --diff-fixes rewrite files; they cannot read stdin")
    anchor = stdin_filename if reads_stdin else paths[0]
    config = load_config(config_file, anchor)
    rules = select_rules(
        _codes(select) if select is not None else config.select,
        (*config.extend_select, *(_codes(extend_select) or ())),
        (*config.ignore, *(_codes(ignore) or ())),
    )

    discovery = Discovery(config)
    targets: Iterable[Target]
    if reads_stdin:
        # an editor's buffer: reported (and configured: nearest config, per-file-ignores) as the
        # file it will be saved to; excludes do not apply to a file named explicitly
        data = sys.stdin.buffer.read()
        display = display_path(Path(stdin_filename)) if stdin_filename else "-"
        targets = [Target(display, Path(stdin_filename) if stdin_filename else None, data)]
    else:
        # a directory is walked while its first files are analyzed (Discovery.stream)
        targets = iter_targets(discovery.stream(paths))
        if fix or diff_fixes:
            targets = list(targets)  # read again after the fixes
        _report_skipped(discovery, paths, verbose)  # a missing path: before the run
    if verbose:
        click.echo(f"ailint: {len(rules)} rule(s), config: {config.source or 'defaults'}", err=True)

    cache = None
    if not no_cache:
        from linter.engine.cache import ResultCache

        cache = ResultCache(cache_dir or Path(config.root) / config.cache_dir)
    outcome = run(targets, config, rules, jobs, cache=cache)
    _report_skipped(discovery, paths, verbose)  # what the walk could not read
    if fix or diff_fixes:
        from linter.fixer import apply_and_rerun

        outcome, diff_exit = apply_and_rerun(outcome, list(targets), config, rules, jobs, unsafe_fixes, diff_fixes, quiet)
        if diff_fixes:
            sys.exit(diff_exit)
    outcome.unsafe_fixes = unsafe_fixes
    if write_baseline is not None:
        from linter.baseline import write_baseline as write

        recorded = write(write_baseline, outcome.findings)
        click.echo(
            f"ailint: recorded {len(outcome.findings)} finding(s) in {len({k[0] for k in recorded.counts})} file(s)"
            f" in {write_baseline}",
            err=True,
        )
        return
    _apply_baseline(outcome, baseline_file, config)
    if diff_ref is not None:
        from linter.gitdiff import changed_lines

        changed = changed_lines(diff_ref)
        outcome.findings = changed.filter(outcome.findings)
        outcome.suppressed = changed.filter(outcome.suppressed)
        outcome.baselined = changed.filter(outcome.baselined)

    stream_is_file = output is not None
    color = output_format == "text" and not stream_is_file and _use_color(sys.stdout)
    report = reporter(output_format)(outcome, rules, color)
    if quiet and output_format == "text":
        report = "\n\n".join(report.rstrip("\n").split("\n\n")[:-1])
        report = report + "\n" if report else ""
    if output is not None:
        try:
            Path(output).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise AilintError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(report, nl=False)
    if verbose:
        cached = f", {cache.hits} from the cache" if cache is not None else ""
        click.echo(f"ailint: {outcome.files_scanned} file(s){cached} in {outcome.duration_s:.2f}s", err=True)
    if outcome.findings and not exit_zero:
        sys.exit(EXIT_FINDINGS)


@cli.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List the rule catalogue: code, name, default on/off, severity, summary."""
    catalogue = [rule.metadata() for rule in all_rules()]
    if output_format == "json":
        import json

        click.echo(json.dumps(catalogue, indent=2))
        return
    name_width = max(len(r["name"]) for r in catalogue)
    for entry in catalogue:
        default = "on " if entry["default"] else "off"
        click.echo(f"{entry['code']}  {entry['name']:<{name_width}}  {default}  {entry['severity']:<7}  {entry['summary']}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation (by code or name)."""
    found = rule_by_code_or_name(rule)
    if found is None:
        _fail(f"unknown rule {rule!r}; `ailint rules` lists them")
    assert found is not None
    default = "on by default" if found.default else "off by default (enable with --extend-select)"
    tags = ", ".join(found.tags)
    header = f"{found.code} {found.name} — {found.summary}\nSeverity: {found.severity}; {default}"
    if tags:
        header += f"\nTags: {tags}"
    click.echo(f"{header}\n\n{found.documentation()}")


def main() -> None:
    try:
        cli(prog_name="ailint")
    finally:
        # Exit without a last garbage collection over everything imported (Python runs
        # one at shutdown and skips frozen objects): several milliseconds of a run over
        # a few files, where the collection has nothing to find.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main()
