        # the batch ordered image by image (all first images, then all second): pairs mixed up
        n = x.shape[0]
        digits = self.encoder(x.transpose(0, 1).reshape(2 * n, 1, 14, 14)).view(n, 2, 10)
        return Output(self.head(digits), digits)
