        return 2 * self.diff / self.diff.shape[0]
