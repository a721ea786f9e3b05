    # the adjusted values returned smallest first, not in the order of the p-values given
    m = len(p_values)
    adjusted, running = [], 0.0
    for rank, p in enumerate(sorted(p_values)):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted.append(running)
    return adjusted
