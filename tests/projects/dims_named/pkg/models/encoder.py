"""Pairs and halves along the sequence dim; the head dim (last) is static."""

import torch


class Encoder(torch.nn.Module):
    def forward(self, tokens):
        keep = tokens.shape[1] // 2  # expect: EXP130
        pairs = tokens.reshape(tokens.shape[0], 2, -1)  # expect: EXP131
        mean_len = round(tokens.shape[1] / 2)  # expect: EXP101
        half = tokens.shape[-1] // 2  # the head dim is static: a constant
        if tokens.shape[2] == 4:  # static: decided once, nothing guarded
            tokens = tokens + 1
        if tokens.shape[1] == 8:  # expect: EXP132
            tokens = tokens * 2
        total = tokens[:, 0] * 0
        for i in range(tokens.shape[1]):  # expect: EXP133
            total = total + tokens[:, i]
        first = tokens[:, :keep]
        rotated = torch.cat((-first[..., half:], first[..., :half]), dim=-1)
        return rotated.sum() + pairs.sum() + tokens[:, :mean_len].mean() + total.sum()
