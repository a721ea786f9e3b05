    # each value adjusted alone: a larger p-value can end up with a smaller adjusted one
    m = len(p_values)
    adjusted = [0.0] * m
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        adjusted[i] = min(1.0, (m - rank) * p_values[i])
    return adjusted
