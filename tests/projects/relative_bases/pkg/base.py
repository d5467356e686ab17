from torch import nn


class Base(nn.Module):
    """A project base class: its subclasses are modules."""
