    # four consecutive pixels of one row averaged: 1x4 strips, not 2x2 blocks
    n = images.shape[0]
    return images.float().reshape(n, 28, 7, 4).mean(dim=3).reshape(n, 14, 14)
