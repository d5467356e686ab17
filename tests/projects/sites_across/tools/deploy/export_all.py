"""Deployment exports, from another package: names come through pkg's re-exports."""

import torch

from pkg import Scaler, Scanner


def export_all():
    scanner = Scanner.from_pretrained("scanner.pt")
    programs = [torch.export.export(scanner, (torch.randn(2, 8, 4),))]
    programs.append(torch.export.export(Scaler(), (torch.randn(2, 4), 2.0)))  # expect: EXP235
    return programs
