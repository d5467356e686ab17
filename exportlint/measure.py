"""Run a case through torch.export and say what happened. Needs torch.

Only the project's own case sources are executed here, never user code.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import logging
import sys
import types
import warnings
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, Case, Outcome, Variant


@dataclass(frozen=True)
class Measurement:
    result: str  # EXPORTS / FAILS / SPECIALIZES
    error: str = ""  # exception class, for FAILS
    message: str = ""  # first lines of the error, or what was specialised

    def agrees_with(self, expected: Optional[Outcome]) -> Tuple[bool, str]:
        """(agrees, why not) against a case's expected outcome."""
        if expected is None:
            return False, "the case makes no claim for this torch and mode"
        if self.result != expected.result:
            return False, f"expected {expected.result}, measured {self.result}: {self.error} {self.message}".strip()
        if expected.result == FAILS:
            if expected.error and self.error != expected.error:
                return False, f"expected {expected.error}, raised {self.error}: {self.message}"
            if expected.match and expected.match not in self.message:
                return False, f"error message lacks {expected.match!r}: {self.message}"
        return True, ""


def load_model_namespace(source: str, name: str, variant: str = "bad") -> Dict[str, Any]:
    """Execute a case source as a real module: strict export (dynamo) looks the
    module up in sys.modules and reads its source through linecache."""
    module_name = f"exportlint_case_{name}_{variant}"
    filename = f"<exportlint case {name} ({variant})>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(module_name)
    module.__file__ = filename
    sys.modules[module_name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module.__dict__


def _evaluate(expression: Optional[str], namespace: Dict[str, Any]) -> Any:
    if expression is None:
        return None
    import torch
    from torch.export import Dim

    return eval(expression, {"torch": torch, "Dim": Dim, **namespace})


def _outputs_match(a: Any, b: Any) -> bool:
    import torch
    from torch.utils import _pytree as pytree

    flat_a, spec_a = pytree.tree_flatten(a)
    flat_b, spec_b = pytree.tree_flatten(b)
    if spec_a != spec_b or len(flat_a) != len(flat_b):
        return False
    for x, y in zip(flat_a, flat_b):
        if isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
            if x.shape != y.shape or not torch.allclose(x, y, equal_nan=True):
                return False
        elif x != y:
            return False
    return True


@contextlib.contextmanager
def _quiet():
    """export logs guard failures at ERROR level and warns a lot; keep runs readable."""
    loggers = [logging.getLogger(n) for n in ("torch", "torch._dynamo", "torch._guards", "torch.fx", "torch.export")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.redirect_stderr(io.StringIO()):
                yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _fresh(value: Any) -> Any:
    """A copy of the inputs, so a model that mutates its inputs is compared fairly."""
    import torch
    from torch.utils import _pytree as pytree

    return pytree.tree_map(lambda v: v.clone() if isinstance(v, torch.Tensor) else v, value)


def _build(namespace: Dict[str, Any]) -> Any:
    """The case's model with the same weights every time: eager and exported agree
    on initialisation, so only export can make them differ."""
    import torch

    torch.manual_seed(0)
    return namespace["Model"]()


CRASHED = "crashed"  # the case could not be measured: setup, eager model or harness raised


def _error_text(exc: BaseException, limit: int = 400) -> str:
    return " ".join(str(exc).split())[:limit]


def measure(case: Case, strict: bool, fixed: bool = False, variant: Optional[Variant] = None) -> Measurement:
    """Export the bad model (or its rewrite, or the bad model with a variant's
    dynamic shapes) in one mode and classify the result.

    Never raises for what a case does on this torch: an error while loading the
    case or running the eager model is a CRASHED measurement, an exported program
    that raises where eager does not is SPECIALIZES. Whatever the models print
    is captured, so it never mixes with the caller's output."""
    if (case.fixed if fixed else case.bad) is None:
        raise ValueError(f"case {case.name} has no rewrite")
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            return _measure(case, strict, fixed, variant)
        except Exception as exc:  # a stage _measure does not classify: say so, never a traceback
            return Measurement(CRASHED, type(exc).__name__, f"harness: {_error_text(exc)}")


def _measure(case: Case, strict: bool, fixed: bool, variant: Optional[Variant]) -> Measurement:
    import torch

    source = case.fixed if fixed else case.bad
    try:
        namespace = load_model_namespace(source, case.name, "fixed" if fixed else "bad")
        inputs = _evaluate((case.fixed_inputs or case.inputs) if fixed else case.inputs, namespace)
        kwargs = _evaluate(case.kwargs, namespace) or {}
        other_expr = (case.fixed_other_inputs or case.other_inputs) if fixed else case.other_inputs
        other_kwargs = _evaluate(case.other_kwargs, namespace) or kwargs
        shapes = _evaluate(case.fixed_shapes if fixed else case.dynamic_shapes, namespace)
        if variant is not None:
            other_expr = variant.other_inputs
            shapes = _evaluate(variant.dynamic_shapes, namespace)
        model = _build(namespace)
    except Exception as exc:  # e.g. an API this torch lacks (Dim.AUTO before 2.6)
        return Measurement(CRASHED, type(exc).__name__, f"setup: {_error_text(exc)}")
    torch._dynamo.reset()  # no state from earlier exports leaks into this one
    with _quiet():
        try:
            program = torch.export.export(model, _fresh(inputs), _fresh(kwargs), dynamic_shapes=shapes, strict=strict)
        except Exception as exc:  # the outcome we measure
            return Measurement(FAILS, type(exc).__name__, _error_text(exc))
        # Same order as ever: the eager model is built before the exported
        # program runs (cases that draw random numbers depend on it).
        try:
            exported = program.module()
            eager = _build(namespace)
        except Exception as exc:
            return Measurement(CRASHED, type(exc).__name__, f"harness: {_error_text(exc)}")
        try:
            got = exported(*_fresh(inputs), **_fresh(kwargs))
        except Exception as exc:  # exported, but the program rejects its own example inputs
            return Measurement(SPECIALIZES, type(exc).__name__,
                               f"rejects the example inputs: {type(exc).__name__}: {_error_text(exc, 200)}")
        try:
            want = eager(*_fresh(inputs), **_fresh(kwargs))
        except Exception as exc:
            return Measurement(CRASHED, type(exc).__name__, f"eager model raises: {_error_text(exc)}")
        if not _outputs_match(got, want):
            return Measurement(SPECIALIZES, message="differs from eager on the example inputs")
        if other_expr is not None:
            try:
                other = _evaluate(other_expr, namespace)
            except Exception as exc:
                return Measurement(CRASHED, type(exc).__name__, f"setup: {_error_text(exc)}")
            try:
                got = exported(*_fresh(other), **_fresh(other_kwargs))
            except Exception as exc:
                return Measurement(SPECIALIZES, type(exc).__name__,
                                   f"rejects other inputs: {type(exc).__name__}: {_error_text(exc, 200)}")
            try:
                want = eager(*_fresh(other), **_fresh(other_kwargs))
            except Exception as exc:
                return Measurement(CRASHED, type(exc).__name__,
                                   f"eager model raises on other inputs: {_error_text(exc)}")
            if not _outputs_match(got, want):
                return Measurement(SPECIALIZES, message="differs from eager on other inputs")
        if case.divergence_probe and not fixed:
            probe = namespace[case.divergence_probe]
            other = _evaluate(other_expr, namespace) if other_expr else inputs
            if probe(_build(namespace), program.module(), _fresh(inputs), _fresh(other)):
                return Measurement(SPECIALIZES, message=f"{case.divergence_probe}: diverges from eager")
    return Measurement(EXPORTS)
