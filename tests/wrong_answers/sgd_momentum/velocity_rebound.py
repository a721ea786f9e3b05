        # the new velocity bound to a local name: the stored one stays zero (plain SGD)
        for (param, grad), velocity in zip(self.pairs, self.velocities):
            velocity = self.momentum * velocity + grad
            param.add_(velocity, alpha=-self.lr)
