#!/usr/bin/env python
"""Check that the trees exportlint builds from CPython's ast are LibCST's parses, on real code.

    python bench/tree_check.py DIR [DIR ...]        # every .py file under each DIR
    python bench/tree_check.py --list FILES.txt     # the files listed, one path a line

For each file it builds the tree (exportlint.tree_from_ast.build), parses the text with
LibCST, and compares them with tests/tree_compare.differences: node types, every
syntax field, strings and numbers as LibCST keeps them, each expression's
parentheses, and each built node's span against LibCST's PositionProvider. It prints
the files the builder declined (they are parsed by LibCST in a lint: no risk, only
time), the files that differ, and the kinds of difference with an example each.
Exit status 1 when any file differs. About 10 files a second (two parses each).
"""

from __future__ import annotations

import argparse
import collections
import gc
import re
import sys
from pathlib import Path
from typing import List

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from tree_compare import differences  # noqa: E402


def _files(args: argparse.Namespace) -> List[Path]:
    if args.list:
        return [Path(line.strip()) for line in Path(args.list).read_text().splitlines() if line.strip()]
    found: List[Path] = []
    for directory in args.dirs:
        found.extend(sorted(Path(directory).rglob("*.py")))
    return found


def _kind(difference: str) -> str:
    """The difference without its place: `….value.lpar` for `module.body[3]....value.lpar at 12:4: ...`."""
    path = re.split(r" at | \(|: ", difference, maxsplit=1)[0]
    path = re.sub(r"\[\d+\]", "[]", path)
    return re.sub(r"^module(\.body\[\]|\.body|\.orelse|\.handlers\[\])*", "…", path)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", help="directories to check")
    parser.add_argument("--list", help="a file listing the paths to check")
    parser.add_argument("--examples", type=int, default=30, help="kinds of difference to show")
    args = parser.parse_args(argv)
    gc.disable()  # both trees of every file are freed by reference counting
    kinds: collections.Counter = collections.Counter()
    examples = {}
    declined, differing, checked = [], [], 0
    for path in _files(args):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        checked += 1
        found = differences(text, limit=50)
        if found == ["not built"]:
            declined.append(path)
            continue
        if found:
            differing.append(path)
        for difference in found:
            kinds[_kind(difference)] += 1
            examples.setdefault(_kind(difference), (path, difference))
    print(f"{checked} files: {checked - len(declined) - len(differing)} the same, {len(differing)} different, "
          f"{len(declined)} left to LibCST")
    for path in declined:
        print(f"  left to LibCST: {path}")
    for kind, count in kinds.most_common(args.examples):
        path, difference = examples[kind]
        print(f"{count:6} {kind}\n         e.g. {path}: {difference[:200]}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
