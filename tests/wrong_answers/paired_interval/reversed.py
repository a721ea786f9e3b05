    # with_ - without: the effect's sign reversed (positive must mean the choice helps)
    d = torch.tensor(with_, dtype=torch.float64) - torch.tensor(without, dtype=torch.float64)
    n = len(d)
    half = t_quantile(0.975, n - 1) * d.std().item() / n**0.5
    return d.mean().item(), d.mean().item() - half, d.mean().item() + half
