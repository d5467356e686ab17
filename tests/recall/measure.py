"""Measure the held-out recall set: export every model of tests/recall/models/
strict and non-strict on the installed torch, and write measured.json.

    python tests/recall/measure.py                 # every model
    python tests/recall/measure.py f1_ f7_round    # models whose name starts so

Each model runs in its own subprocess (a crash or a hang costs one model, and
dynamo state never leaks between models), with a timeout. Per mode it records
the result (exports / fails / specializes: the exported program rejects
OTHER_INPUTS or differs from eager on either input set), the error class, the
first line of the message, and the innermost line of the model file in the
traceback (or in the user frames dynamo quotes for strict export).
Only the project's own model files are executed here.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
OUTPUT = HERE / "measured.json"
TIMEOUT = 240  # seconds per model, both modes


def _load(path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"recall_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dynamo reads the module's source through its file
    spec.loader.exec_module(module)
    return module


def _evaluate(expression, module):
    import torch
    from torch.export import Dim

    if expression is None:
        return None
    return eval(expression, {"torch": torch, "Dim": Dim, **vars(module)})


def _model_line(exc: BaseException, path: Path):
    """The innermost line of the model file where export failed, or None."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path:
            line = frame.lineno
    if line is not None:
        return line
    # strict export: dynamo quotes the user frames in the message ("from user code").
    pattern = re.compile(r'File "([^"]+)", line (\d+)')
    for match in pattern.finditer(str(exc)):
        if Path(match.group(1)).resolve() == path:
            line = int(match.group(2))
    return line


def measure_one(path: Path) -> dict:
    """Export one model in both modes (runs inside the child process)."""
    import torch
    from exportlint.measure import _fresh, _quiet

    module = _load(path)
    inputs = _evaluate(module.INPUTS, module)
    other = _evaluate(getattr(module, "OTHER_INPUTS", None), module)
    result = {}
    for mode in ("strict", "non-strict"):
        shapes = _evaluate(getattr(module, "DYNAMIC_SHAPES", None), module)
        torch.manual_seed(0)
        model = module.Model()
        torch._dynamo.reset()
        record = {"result": "exports"}
        with _quiet():
            try:
                program = torch.export.export(model, _fresh(inputs), dynamic_shapes=shapes, strict=(mode == "strict"))
            except Exception as exc:
                message = str(exc).strip().splitlines()
                record = {
                    "result": "fails", "error": type(exc).__name__,
                    "message": (message[0] if message else "")[:300], "line": _model_line(exc, path),
                }
            else:
                record = _compare(program, module, model, inputs, other)
        result[mode] = record
    return result


def _compare(program, module, model, inputs, other) -> dict:
    import torch
    from exportlint.measure import _fresh, _outputs_match

    exported = program.module()
    torch.manual_seed(0)
    eager = module.Model()
    for label, args in (("example", inputs), ("other", other)):
        if args is None:
            continue
        try:
            got = exported(*_fresh(args))
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            return {"result": "specializes", "message": f"rejects {label} inputs: {type(exc).__name__}: {first[:200]}"}
        if not _outputs_match(got, eager(*_fresh(args))):
            return {"result": "specializes", "message": f"differs from eager on the {label} inputs"}
    return {"result": "exports"}


def _child(path: str) -> None:
    print(json.dumps(measure_one(Path(path).resolve())))


def _run(path: Path) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {mode: {"result": "timeout"} for mode in ("strict", "non-strict")}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {mode: {"result": "error", "message": last[:300]} for mode in ("strict", "non-strict")}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="measure only models whose name starts with one of these")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    import torch

    measured = json.loads(OUTPUT.read_text()) if OUTPUT.exists() else {"models": {}}
    for path in sorted(MODELS.glob("f*.py")):
        if args.prefixes and not path.stem.startswith(tuple(args.prefixes)):
            continue
        record = _run(path)
        measured["models"][path.stem] = record
        summary = "  ".join(f"{mode}: {r['result']} {r.get('error', '')} {r.get('line') or ''}".rstrip()
                            for mode, r in record.items())
        print(f"{path.stem:40} {summary}", flush=True)
    existing = {p.stem for p in MODELS.glob("f*.py")}
    measured["models"] = {k: v for k, v in sorted(measured["models"].items()) if k in existing}
    measured["torch"] = torch.__version__
    OUTPUT.write_text(json.dumps(measured, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    sys.exit(main())
