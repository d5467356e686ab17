"""A finiteness check BART-style encoder layers run only for float16 activations, exported in float16."""

import torch
from torch import nn

ORIGIN = "transformers BART encoder layer (modeling_bart.py:304), exported with a float16 input"
INPUTS = "(torch.randn(2, 8, dtype=torch.float16),)"
OTHER_INPUTS = "(torch.randn(2, 8, dtype=torch.float16) * 100,)"
DYNAMIC_SHAPES = None


class Model(nn.Module):
    def forward(self, hidden_states):
        hidden_states = hidden_states * 2
        if hidden_states.dtype == torch.float16 and not torch.isfinite(hidden_states).all():  # recall: fails
            clamp_value = torch.finfo(hidden_states.dtype).max - 1000
            hidden_states = torch.clamp(hidden_states, min=-clamp_value, max=clamp_value)
        return hidden_states
