        # the 2 of the square's derivative forgotten
        return self.diff / self.diff.numel()
