        # divided by the number of rows N, not by the number of elements N * C
        return 2 * self.diff / self.diff.shape[0]
