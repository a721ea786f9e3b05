    # ties (equal digits) get target 0: the target is first < second instead of <=
    index = torch.randperm(images.shape[0], generator=generator)[: 2 * n].view(n, 2)
    classes = labels[index]
    return images[index], (classes[:, 0] < classes[:, 1]).long(), classes
