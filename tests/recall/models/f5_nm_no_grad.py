"""torch.no_grad() block in forward: clean near-miss of the context-manager family."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export (set_grad_enabled / no_grad are captured)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        with torch.no_grad():
            ref = self.fc(x)
        return ref.relu()
