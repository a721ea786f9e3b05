    # probabilities multiplied and summed, the log taken last: underflows for confident digits
    p = digits.softmax(-1)
    joint = p[:, 0, :, None] * p[:, 1, None, :]
    le = torch.ones(10, 10, device=digits.device).triu()
    p_le = (joint * le).flatten(1).sum(-1)
    p_gt = (joint * (1 - le)).flatten(1).sum(-1)
    return torch.stack([p_gt.log(), p_le.log()], dim=1)
