    # each epoch's loss is its last minibatch's, not the mean over the epoch
    history = []
    for _ in range(epochs):
        for x, t in minibatches(inputs, targets, batch_size=batch_size, generator=generator):
            loss = criterion.forward(model.forward(x), t)
            optimizer.zero_grad()
            model.backward(criterion.backward())
            optimizer.step()
        history.append(float(loss))
    return history
