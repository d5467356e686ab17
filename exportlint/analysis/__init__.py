"""The analysis rules ask questions of: imports, model classes, what each
expression is (kinds), data-dependent values and sizes, and (project.py) what
other files of the project contribute. Nothing here imports a rule."""
