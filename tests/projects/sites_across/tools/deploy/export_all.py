"""Deployment exports, from another package: names come through pkg's re-exports."""

import torch

from pkg import Scanner


def export_all():
    scanner = Scanner.from_pretrained("scanner.pt")
    return torch.export.export(scanner, (torch.randn(2, 8, 4),))
