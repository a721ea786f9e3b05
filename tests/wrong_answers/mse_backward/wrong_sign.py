        # the derivative wrt the target, not the prediction
        return -2 * self.diff / self.diff.numel()
