    # Student's t with n degrees of freedom instead of n - 1
    d = torch.tensor(without, dtype=torch.float64) - torch.tensor(with_, dtype=torch.float64)
    n = len(d)
    half = t_quantile(0.975, n) * d.std().item() / n**0.5
    return d.mean().item(), d.mean().item() - half, d.mean().item() + half
