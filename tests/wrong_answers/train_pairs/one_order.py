    # one order drawn before the first epoch and reused by every epoch
    x_all = Normaliser.fit(input)(input)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    order = torch.randperm(len(x_all), generator=generator)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in order.split(batch_size):
            loss = pair_loss(model(x_all[idx]), target[idx], classes[idx], aux_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x_all))
    return losses
