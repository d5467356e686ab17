from ..mid import Mid


class Net(Mid):
    def forward(self, x):
        self.last = x.shape[0]  # expect: EXP201
        return x * self.scale


class Plain:
    """Not a module: its forward is never traced."""

    def forward(self, x):
        self.last = x
        return x
