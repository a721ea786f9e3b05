    # each entry left at x - eps: the next entries are differentiated at a moved point
    grad = torch.zeros_like(x)
    flat, flat_grad = x.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        plus = float(f())
        flat[i] = original - eps
        minus = float(f())
        flat_grad[i] = (plus - minus) / (2 * eps)
    return grad
