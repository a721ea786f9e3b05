    # the comparison's cross entropy alone: the digit classes never used
    x_all = Normaliser.fit(input)(input)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(x_all), generator=generator).split(batch_size):
            loss = F.cross_entropy(model(x_all[idx]).comparison, target[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(x_all))
    return losses
