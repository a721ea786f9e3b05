    # the two lists' spreads combined as if independent: the pairing thrown away
    a = torch.tensor(without, dtype=torch.float64)
    b = torch.tensor(with_, dtype=torch.float64)
    n = len(a)
    mean = (a.mean() - b.mean()).item()
    half = t_quantile(0.975, n - 1) * ((a.var() + b.var()) / n).sqrt().item()
    return mean, mean - half, mean + half
