    # each image scored against the other image's class
    comparison = F.cross_entropy(output.comparison, target)
    digits = F.cross_entropy(output.digits.flatten(0, 1), classes.flip(1).flatten())
    return comparison + aux_weight * digits
