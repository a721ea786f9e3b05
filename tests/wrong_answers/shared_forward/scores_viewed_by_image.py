        # the right batch, but its scores read back as (2, N, 10): pairs mixed up
        n = x.shape[0]
        digits = self.encoder(x.reshape(2 * n, 1, 14, 14)).view(2, n, 10).transpose(0, 1)
        return Output(self.head(digits), digits)
