    # proj1.stats's own interval of the paired differences
    d = [a - b for a, b in zip(without, with_)]
    low, high = interval(d)
    return sum(d) / len(d), low, high
