        # the sigmoid's slope y (1 - y), not tanh's
        return grad_output * self.y * (1 - self.y)
