"""Run settings: command line over ``[tool.exportlint]`` over defaults."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Tuple

from exportlint.codes import unknown_selector_message, unknown_selectors
from exportlint.shapes_config import ShapesConfigError, parse_default, parse_dynamic_shapes
from exportlint.target import Target, resolve_target

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__",
    "build", "dist", "node_modules", ".eggs", "*.egg-info", ".exportlint_cache",
)


class ConfigError(Exception):
    """A bad option or config value: a usage error (exit 2)."""


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("EXP",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    target: Target = field(default_factory=resolve_target)
    module_bases: Tuple[str, ...] = ()  # extra qualified names of nn.Module-like bases
    timeout: float = 30.0  # seconds per file
    # (glob, codes) pairs; applied after the cache, so not in the fingerprint
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    root: str = "."  # the directory per-file-ignores globs are relative to
    # A class with forward(self, ...) whose bases come from a package outside the
    # project (and the library table) is taken for a module.
    unresolved_bases_are_modules: bool = True
    dynamic_shapes: Tuple = ()  # ((model key, ModelShapes), ...) from [tool.exportlint.dynamic-shapes]
    default_dims: str = "unknown"  # flavour of dims of models with no export site and no entry

    def is_enabled(self, code: str) -> bool:
        """Longest matching prefix wins, as in flake8 and ruff; ties go to select."""
        selected = max((len(p) for p in self.select + self.extend_select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected >= ignored

    def fingerprint(self) -> str:
        """What the findings depend on besides the file: keys the result cache."""
        return repr((self.select, self.ignore, self.extend_select, self.target, self.module_bases,
                     self.unresolved_bases_are_modules, self.dynamic_shapes, self.default_dims))


_KEYS = {
    "select", "ignore", "extend-select", "exclude", "extend-exclude",
    "target-torch", "strict", "module-bases", "timeout", "per-file-ignores", "unresolved-bases-are-modules",
    "dynamic-shapes", "default-dims",
}


def find_pyproject(start: Path) -> Optional[Path]:
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(path: Path) -> Dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    table = data.get("tool", {}).get("exportlint", {})
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown [tool.exportlint] key(s): {', '.join(sorted(unknown))}")
    return table


def _codes(value: Any, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of codes or prefixes")
    codes = tuple(v.strip().upper() for v in value if v.strip())
    unknown = unknown_selectors(codes)
    if unknown:
        raise ConfigError(unknown_selector_message(unknown[0], key))
    return codes


def _per_file_ignores(value: Any) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ConfigError('per-file-ignores must be a table of "glob" = ["CODE", ...]')
    return tuple((glob, _codes(codes, f"per-file-ignores {glob!r}")) for glob, codes in value.items())


def _strings(value: Any, key: str) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def build_settings(options: Dict[str, Any], root: str = ".") -> Settings:
    """Settings from a merged mapping of config keys (kebab-case) to values;
    ``root`` is the directory of the pyproject.toml they came from."""
    settings = Settings(target=_target(options), root=root)
    changes: Dict[str, Any] = {}
    if options.get("per-file-ignores") is not None:
        changes["per_file_ignores"] = _per_file_ignores(options["per-file-ignores"])
    for key in ("select", "ignore", "extend-select"):
        if options.get(key) is not None:
            changes[key.replace("-", "_")] = _codes(options[key], key)
    for key in ("exclude", "extend-exclude", "module-bases"):
        if options.get(key) is not None:
            changes[key.replace("-", "_")] = _strings(options[key], key)
    if options.get("unresolved-bases-are-modules") is not None:
        value = options["unresolved-bases-are-modules"]
        if not isinstance(value, bool):
            raise ConfigError("unresolved-bases-are-modules must be true or false")
        changes["unresolved_bases_are_modules"] = value
    if options.get("timeout") is not None:
        try:
            changes["timeout"] = float(options["timeout"])
        except (TypeError, ValueError):
            raise ConfigError("timeout must be a number of seconds") from None
        if not changes["timeout"] > 0:  # also refuses nan, which would mean "no limit" silently
            raise ConfigError("timeout must be a positive number of seconds")
    try:
        if options.get("dynamic-shapes") is not None:
            changes["dynamic_shapes"] = parse_dynamic_shapes(options["dynamic-shapes"])
        if options.get("default-dims") is not None:
            changes["default_dims"] = parse_default(options["default-dims"])
    except ShapesConfigError as exc:
        raise ConfigError(str(exc)) from None
    return replace(settings, **changes)


def _target(options: Dict[str, Any]) -> Target:
    torch = options.get("target-torch")
    strict = options.get("strict")
    if torch is not None and not isinstance(torch, str):
        torch = str(torch)
    if strict is not None and not isinstance(strict, bool):
        raise ConfigError("strict must be true or false")
    try:
        return resolve_target(torch, strict)
    except ValueError as exc:
        raise ConfigError(f"target-torch: {exc}") from None


def merged_options(config: Dict[str, Any], overrides: Dict[str, Any]) -> Dict[str, Any]:
    merged = dict(config)
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return merged


def settings_for(paths: Sequence[str], overrides: Dict[str, Any], config_path: Optional[str] = None) -> Settings:
    """Settings for a run: the nearest pyproject.toml (from the cwd), then overrides."""
    if config_path:
        found: Optional[Path] = Path(config_path)
        if not found.is_file():
            raise ConfigError(f"config file not found: {config_path}")
    else:
        found = find_pyproject(Path.cwd())
    config = load_pyproject(found) if found else {}
    root = str(found.resolve().parent) if found else str(Path.cwd())
    return build_settings(merged_options(config, overrides), root)
