import torch


class BatchEncoder(torch.nn.Module):
    def forward(self, batch):
        return batch.tokens.cumsum(dim=1)
