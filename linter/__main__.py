"""The `ailint` command (and `python -m linter`).

A `check` forks its first worker before anything else is imported (engine/head_start.py):
the worker imports libcst while the command line imports and reads everything else.
"""

import sys


def main() -> None:
    from linter.engine import head_start

    if head_start.wanted(sys.argv[1:]):
        head_start.start()
    try:
        from linter.cli import main as run_command_line

        run_command_line()
    finally:
        head_start.discard()


if __name__ == "__main__":
    main()
