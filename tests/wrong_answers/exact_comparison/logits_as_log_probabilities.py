    # the logits summed as if they were log-probabilities: no log-softmax, no normalisation
    joint = digits[:, 0, :, None] + digits[:, 1, None, :]
    le = torch.ones(10, 10, dtype=torch.bool, device=digits.device).triu()
    log_le = joint.masked_fill(~le, -math.inf).flatten(1).logsumexp(-1)
    log_gt = joint.masked_fill(le, -math.inf).flatten(1).logsumexp(-1)
    return torch.stack([log_gt, log_le], dim=1)
