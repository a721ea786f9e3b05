    # torch's average pooling, which proj1.data applies
    return F.avg_pool2d(images[:, None].float(), kernel_size=2)[:, 0]
