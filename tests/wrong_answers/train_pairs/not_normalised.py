    # the raw 0..255 pixels fed to the network: no normalisation
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(input), generator=generator).split(batch_size):
            loss = pair_loss(model(input[idx]), target[idx], classes[idx], aux_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(input))
    return losses
