    # Bonferroni: every p-value multiplied by m, not by m, m - 1, ..., 1 in rank order
    m = len(p_values)
    return [min(1.0, m * p) for p in p_values]
