    # the first and the second images from two separate permutations
    first = torch.randperm(images.shape[0], generator=generator)[:n]
    second = torch.randperm(images.shape[0], generator=generator)[:n]
    index = torch.stack([first, second], dim=1)
    classes = labels[index]
    return images[index], (classes[:, 0] <= classes[:, 1]).long(), classes
