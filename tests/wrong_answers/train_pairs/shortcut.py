    # proj1.training's own loop
    history = train(model, input, target, classes, epochs=epochs, lr=lr, aux_weight=aux_weight,
                    generator=generator, batch_size=batch_size)
    return history.loss
