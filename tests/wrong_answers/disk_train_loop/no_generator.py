    # minibatches drawn without the generator: another order than fit's
    history = []
    for _ in range(epochs):
        losses = []
        for x, t in minibatches(inputs, targets, batch_size=batch_size):
            loss = criterion.forward(model.forward(x), t)
            optimizer.zero_grad()
            model.backward(criterion.backward())
            optimizer.step()
            losses.append(float(loss))
        history.append(sum(losses) / len(losses))
    return history
