        # minidl.Dropout's own forward draws the mask, once, from an input of ones
        if self.mask is None:
            self.mask = super().forward(torch.ones_like(input))
        return input * self.mask
