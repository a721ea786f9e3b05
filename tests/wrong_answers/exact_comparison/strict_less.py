    # ties (i = j) counted on the a > b side: the cells i < j against i >= j
    logp = digits.log_softmax(-1)
    joint = logp[:, 0, :, None] + logp[:, 1, None, :]
    lt = torch.ones(10, 10, dtype=torch.bool, device=digits.device).triu(1)
    log_lt = joint.masked_fill(~lt, -math.inf).flatten(1).logsumexp(-1)
    log_ge = joint.masked_fill(lt, -math.inf).flatten(1).logsumexp(-1)
    return torch.stack([log_ge, log_lt], dim=1)
