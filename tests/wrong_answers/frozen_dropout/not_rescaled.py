        # a 0/1 mask: the kept entries are not scaled by 1 / (1 - p)
        if self.mask is None:
            keep = 1 - self.p
            self.mask = input.new_empty(input.shape).bernoulli_(keep, generator=self.generator)
        return input * self.mask
