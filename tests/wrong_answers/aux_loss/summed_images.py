    # the two images' digit losses added, not averaged: the auxiliary term weighs twice
    comparison = F.cross_entropy(output.comparison, target)
    first = F.cross_entropy(output.digits[:, 0], classes[:, 0])
    second = F.cross_entropy(output.digits[:, 1], classes[:, 1])
    return comparison + aux_weight * (first + second)
