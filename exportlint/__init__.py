"""exportlint: find what will break ``torch.export`` before you run it."""

__version__ = "0.1.0"

# Where the rule reference lives; every diagnostic links to its rule's section.
DOCS_URL = "https://github.com/exportlint/exportlint/blob/main/docs/rules.md"
