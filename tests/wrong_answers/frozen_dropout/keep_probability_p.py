        # entries kept with probability p, the drop probability, instead of 1 - p
        if self.mask is None:
            self.mask = input.new_empty(input.shape).bernoulli_(self.p, generator=self.generator)
            self.mask.div_(self.p)
        return input * self.mask
