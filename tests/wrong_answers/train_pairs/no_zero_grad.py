    # gradients never zeroed: each step adds its gradient to all the earlier ones
    x_all = Normaliser.fit(input)(input)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(x_all), generator=generator).split(batch_size):
            loss = pair_loss(model(x_all[idx]), target[idx], classes[idx], aux_weight)
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x_all))
    return losses
