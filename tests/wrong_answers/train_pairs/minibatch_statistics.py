    # each minibatch normalised with its own mean and std, not the training pixels' statistics
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(input), generator=generator).split(batch_size):
            x = Normaliser.fit(input[idx])(input[idx])
            loss = pair_loss(model(x), target[idx], classes[idx], aux_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(input))
    return losses
