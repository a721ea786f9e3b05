    # the doubled tail not capped at 1: an even split gives more than 1
    wins = sum(d > 0 for d in differences)
    n = wins + sum(d < 0 for d in differences)
    k = min(wins, n - wins)
    return 2 * sum(math.comb(n, j) for j in range(k + 1)) / 2**n
