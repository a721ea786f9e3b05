    # one tail only: the probability of k or fewer wins, not of a split as lopsided either way
    wins = sum(d > 0 for d in differences)
    n = wins + sum(d < 0 for d in differences)
    k = min(wins, n - wins)
    return min(1.0, sum(math.comb(n, j) for j in range(k + 1)) / 2**n)
