        # an average of the gradients, (1 - momentum) g, instead of their sum: shorter steps
        for (param, grad), velocity in zip(self.pairs, self.velocities):
            velocity.mul_(self.momentum).add_(grad, alpha=1 - self.momentum)
            param.add_(velocity, alpha=-self.lr)
