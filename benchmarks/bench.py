"""Time ailint against Bandit and the libcst parse floor on one corpus, in one run.

    python benchmarks/bench.py CORPUS [--jobs N] [--repeat 5]

Measures, round-robin (so that a busy machine slows every contender alike), each as a
fresh process with its start-up included:

- parse floor: `libcst.parse_module` of every file ailint would check, with ailint's
  worker count and start method, nothing else;
- `bandit -r -q CORPUS` (all plugins; Bandit has no worker option);
- `ailint check` cold: an empty cache directory (the run fills it);
- `ailint check` warm: the same again, nothing changed;
- `ailint check` warm after one file changed (a copy of the corpus is edited), next to a
  warm run of that copy just before the edit, QUICK_SAMPLES times a round;
- `ailint check FILE`: a single 500-line file (the pre-commit and editor case) that ailint
  parses, next to its floor: a fresh Python that imports libcst and parses that file,
  nothing else; and a 500-line file without AI code, which the pre-filter leaves unparsed
  (most files of a commit): from the corpus, else from Python's standard library;
  QUICK_SAMPLES times a round each.

ailint's own modules are byte-compiled first (`compileall`), as `pip install` does: a
checkout run with PYTHONDONTWRITEBYTECODE would otherwise compile them at every start.

Prints median wall times, the ratios the targets are stated in, the CPU time of the
whole process tree and its peak resident memory (the largest single process: the parent
or any worker).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - t\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss, p.returncode)\n"
)


#: how often each sub-second run is measured per round: one such run varies between runs
#: by as much as the targets about them allow (10% of a warm run is some 30 ms)
QUICK_SAMPLES = 5

#: the single-file floor: start Python, import libcst, parse one file
_PARSE_ONE = "import sys, libcst\nlibcst.parse_module(open(sys.argv[1], 'rb').read())\n"


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s of the process tree, peak RSS MB of its largest process)."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True)
    wall, cpu, rss, code = out.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{command[:3]} failed with exit {code}")
    scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss: bytes on macOS, KiB elsewhere
    return float(wall), float(cpu), float(rss) / 1024 / scale


def corpus_files(corpus: Path) -> list[Path]:
    from linter.config import load_config
    from linter.discovery import Discovery

    return Discovery(load_config(None, str(corpus))).files([str(corpus)])


def _parse(path: str) -> int:
    import libcst

    try:
        libcst.parse_module(Path(path).read_bytes())
    except Exception:
        return 1
    return 0


def parse_only(corpus: Path, jobs: int) -> None:
    """The floor: parse every file ailint would check, with the same workers, nothing else."""
    import multiprocessing

    import libcst  # noqa: F401  (imported before the workers start, as ailint does)

    from linter.engine.pool import start_method

    files = [str(p) for p in corpus_files(corpus)]
    context = multiprocessing.get_context(start_method())
    with context.Pool(jobs) as pool:
        failures = sum(pool.imap_unordered(_parse, files, chunksize=max(1, min(8, len(files) // (jobs * 8)))))
    print(f"{len(files)} files, {failures} failed to parse")


def _leaves_unparsed(text: str) -> bool:
    """Whether ailint's pre-filter (default rules) leaves this file unparsed."""
    from linter.engine.analyze import needs_tree, text_tests, triggered
    from linter.rules import select_rules

    rules = triggered(select_rules(None), text, (), "", text_tests(text))
    return not any(needs_tree(rule) for rule in rules if rule.code != "AIL000")


def five_hundred_line_file(files: list[Path], directory: Path, ai_code: bool = True) -> tuple[Path, str] | None:
    """(the copy, the original's name) of the first file of 500+ lines, cut to 500 lines:
    from the corpus, one that ailint parses (`ai_code`), else one its pre-filter leaves
    unparsed — from the corpus, or else from Python's standard library (a corpus of AI code
    may have none)."""
    import ast

    candidates = list(files)
    if not ai_code:
        candidates += sorted(Path(ast.__file__).parent.glob("*.py"))
    for path in candidates:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        if len(lines) < 500:
            continue
        text = "".join(lines[:500])
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        if _leaves_unparsed(text) == ai_code:
            continue
        target = directory / ("five_hundred.py" if ai_code else "five_hundred_plain.py")
        target.write_text(text)
        return target, path.name
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    if args.parse_only:
        parse_only(corpus, args.jobs)
        return

    import compileall

    compileall.compile_dir(str(HERE.parent / "linter"), quiet=1)
    files = corpus_files(corpus)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    ailint = [sys.executable, "-m", "linter", "check", "--jobs", str(args.jobs), "--exit-zero"]
    work = Path(tempfile.mkdtemp(prefix="ailint-bench-"))
    found = five_hundred_line_file(files, work)
    if found is None:
        raise SystemExit("no file of 500+ lines that ailint parses in the corpus")
    single, _ = found
    plain, plain_source = five_hundred_line_file(files, work, ai_code=False) or (None, "")
    edited = work / "edited"
    shutil.copytree(corpus, edited, symlinks=True, ignore=shutil.ignore_patterns(".git", ".ailint_cache"))
    edited_file = edited / files[len(files) // 2].relative_to(corpus)

    samples: dict[str, list[tuple[float, float, float]]] = {}
    try:
        for round_ in range(args.repeat):
            cache = work / f"cache-{round_}"
            edited_cache = work / f"edited-cache-{round_}"
            commands = {
                "libcst parse only": [sys.executable, str(Path(__file__)), "--parse-only", "--jobs", str(args.jobs), str(corpus)],
                "bandit -r -q": [bandit, "-r", "-q", str(corpus)],
                "ailint cold": [*ailint, "--cache-dir", str(cache), str(corpus)],
                "ailint warm": [*ailint, "--cache-dir", str(cache), str(corpus)],
            }
            for name, command in commands.items():
                samples.setdefault(name, []).append(measure(command))
            measure([*ailint, "--cache-dir", str(edited_cache), str(edited)])  # fill it
            for sample in range(QUICK_SAMPLES):
                # the warm time the changed run is compared with: the same tree, the same cache
                samples.setdefault("ailint warm, the copy before the change", []).append(
                    measure([*ailint, "--cache-dir", str(edited_cache), str(edited)])
                )
                with open(edited_file, "a") as handle:
                    handle.write(f"\n_bench_edit_{round_}_{sample} = {sample}\n")
                samples.setdefault("ailint warm, 1 file changed", []).append(
                    measure([*ailint, "--cache-dir", str(edited_cache), str(edited)])
                )
                samples.setdefault("ailint, one 500-line file", []).append(
                    measure([sys.executable, "-m", "linter", "check", "--no-cache", "--exit-zero", str(single)])
                )
                samples.setdefault("import libcst + parse that file", []).append(
                    measure([sys.executable, "-c", _PARSE_ONE, str(single)])
                )
                if plain is not None:
                    samples.setdefault("ailint, one 500-line file without AI code", []).append(
                        measure([sys.executable, "-m", "linter", "check", "--no-cache", "--exit-zero", str(plain)])
                    )
            print(f"round {round_ + 1}/{args.repeat} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    medians = {name: tuple(statistics.median(s[i] for s in runs) for i in range(3)) for name, runs in samples.items()}
    floor, bandit_wall = medians["libcst parse only"][0], medians["bandit -r -q"][0]
    print(f"\ncorpus: {corpus.name} — {len(files)} files, {lines} lines; jobs={args.jobs}; "
          f"{args.repeat} rounds; Python {sys.version.split()[0]}; {os.cpu_count()} cores")
    print(f"\n| what | wall s (median) | × Bandit | × parse floor | CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for name, (wall, cpu, rss) in medians.items():
        print(f"| {name} | {wall:.2f} | {wall / bandit_wall:.3f} | {wall / floor:.2f} | {cpu:.1f} | {rss:.0f} |")
    cold, warm = medians["ailint cold"][0], medians["ailint warm"][0]
    changed = medians["ailint warm, 1 file changed"][0]
    warm_copy = medians["ailint warm, the copy before the change"][0]
    single_wall = medians["ailint, one 500-line file"][0]
    single_floor = medians["import libcst + parse that file"][0]
    checks = [
        ("cold ≤ 0.5× Bandit", cold <= 0.5 * bandit_wall, f"{cold / bandit_wall:.2f}×"),
        ("cold ≤ 1.2× parse floor", cold <= 1.2 * floor, f"{cold / floor:.2f}×"),
        ("warm ≤ 0.05× Bandit", warm <= 0.05 * bandit_wall, f"{warm / bandit_wall:.3f}×"),
        ("one file changed within 10% of warm", changed <= 1.1 * warm_copy,
         f"{changed / warm_copy:.2f}× the copy's warm run"),
        ("500-line file with AI code < 0.3 s", single_wall < 0.3,
         f"{single_wall:.2f} s; importing libcst and parsing it alone: {single_floor:.2f} s"),
        *(
            [("500-line file without AI code < 0.3 s", medians[name][0] < 0.3,
              f"{medians[name][0]:.2f} s ({plain_source}; the pre-filter leaves it unparsed)")]
            if (name := "ailint, one 500-line file without AI code") in medians else []
        ),
        ("peak memory < 250 MB", medians["ailint cold"][2] < 250, f"{medians['ailint cold'][2]:.0f} MB"),
    ]
    print()
    for label, ok, value in checks:
        print(f"- {'PASS' if ok else 'MISS'} {label}: {value}")
    if args.json:
        args.json.write_text(json.dumps({"files": len(files), "lines": lines, "medians": medians}, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
