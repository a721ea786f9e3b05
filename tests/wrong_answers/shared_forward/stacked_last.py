        # each image encoded alone, the scores stacked on the last dimension: (N, 10, 2)
        digits = torch.stack([self.encoder(x[:, k : k + 1]) for k in range(2)], dim=2)
        return Output(self.head(digits), digits)
