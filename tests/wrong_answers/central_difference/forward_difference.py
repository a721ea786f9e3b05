    # a forward difference (f(x + eps) - f(x)) / eps: first-order accurate only
    grad = torch.zeros_like(x)
    flat, flat_grad = x.view(-1), grad.view(-1)
    base = float(f())
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        flat_grad[i] = (float(f()) - base) / eps
        flat[i] = original
    return grad
