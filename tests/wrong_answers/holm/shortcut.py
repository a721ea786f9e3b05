    # proj1.stats's own adjustment
    return holm(p_values)
