def any_set(mask):
    return mask.any().item()


def width(x):
    return x.shape[-1]
