import torch


class PretrainedModule(torch.nn.Module):
    """Loads weights by name; the classes below inherit it."""

    @classmethod
    def from_pretrained(cls, name):
        model = cls()
        model.load_state_dict(torch.load(name))
        return model
