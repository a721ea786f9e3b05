    x = torch.tensor(errors, dtype=torch.float64)
    mean = x.sum() / len(errors)
    std = (((x - mean) ** 2).sum() / len(errors)).sqrt()
    return mean.item(), std.item()
