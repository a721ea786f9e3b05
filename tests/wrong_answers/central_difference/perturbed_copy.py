    # the perturbation written into a copy of x: f() reads x itself and never changes
    grad = torch.zeros_like(x)
    copy = x.clone()
    flat, flat_grad = copy.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        plus = float(f())
        flat[i] = original - eps
        minus = float(f())
        flat[i] = original
        flat_grad[i] = (plus - minus) / (2 * eps)
    return grad
