    # fewer than k wins instead of k or fewer: the observed split itself left out of the tail
    wins = sum(d > 0 for d in differences)
    n = wins + sum(d < 0 for d in differences)
    k = min(wins, n - wins)
    return min(1.0, 2 * sum(math.comb(n, j) for j in range(k)) / 2**n)
