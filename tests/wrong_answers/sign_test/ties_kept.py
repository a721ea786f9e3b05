    # ties counted as tosses (as losses), not dropped
    wins = sum(d > 0 for d in differences)
    n = len(differences)
    k = min(wins, n - wins)
    return min(1.0, 2 * sum(math.comb(n, j) for j in range(k + 1)) / 2**n)
