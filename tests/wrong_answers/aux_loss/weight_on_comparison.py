    # the weight on the comparison term instead of the auxiliary one
    comparison = F.cross_entropy(output.comparison, target)
    digits = F.cross_entropy(output.digits.flatten(0, 1), classes.flatten())
    return aux_weight * comparison + digits
