    # the i-th smallest multiplied by i (1, 2, ..., m) instead of m - i + 1
    m = len(p_values)
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (rank + 1) * p_values[i]))
        adjusted[i] = running
    return adjusted
