    # the first n entries as the first images and the next n as the second, not n rows of two
    index = torch.randperm(images.shape[0], generator=generator)[: 2 * n].view(2, n).T
    classes = labels[index]
    return images[index], (classes[:, 0] <= classes[:, 1]).long(), classes
