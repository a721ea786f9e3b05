    # no zero_grad: every step adds its gradient to all the earlier ones
    history = []
    for _ in range(epochs):
        losses = []
        for x, t in minibatches(inputs, targets, batch_size=batch_size, generator=generator):
            loss = criterion.forward(model.forward(x), t)
            model.backward(criterion.backward())
            optimizer.step()
            losses.append(float(loss))
        history.append(sum(losses) / len(losses))
    return history
