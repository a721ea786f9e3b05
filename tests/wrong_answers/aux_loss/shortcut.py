    # proj1.training's own loss
    return pair_loss(output, target, classes, aux_weight)
