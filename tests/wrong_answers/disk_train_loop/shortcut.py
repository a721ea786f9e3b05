    # minidl.fit itself
    return fit(model, criterion, optimizer, inputs, targets, epochs=epochs,
               batch_size=batch_size, generator=generator, on_epoch=None)
