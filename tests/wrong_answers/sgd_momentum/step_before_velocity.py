        # the parameter moved with the previous velocity, before the new gradient enters it
        for (param, grad), velocity in zip(self.pairs, self.velocities):
            param.add_(velocity, alpha=-self.lr)
            velocity.mul_(self.momentum).add_(grad)
