    # the normal quantile 1.96 instead of Student's t with n - 1 degrees of freedom
    d = torch.tensor(without, dtype=torch.float64) - torch.tensor(with_, dtype=torch.float64)
    n = len(d)
    half = 1.96 * d.std().item() / n**0.5
    return d.mean().item(), d.mean().item() - half, d.mean().item() + half
