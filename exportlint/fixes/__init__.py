"""Autofix: rules describe rewrites of CST nodes (rewrite.py), the engine turns
them into text edits, apply.py applies them (re-linting until nothing is left
to fix), and run.py is ``exportlint --fix`` / ``--diff``."""
