    # one pixel of each block (subsampling), not the mean of the four
    return images[:, ::2, ::2].float()
