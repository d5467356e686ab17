import torch


class Scaler(torch.nn.Module):
    def forward(self, x, scale):
        return x * scale
