        # a fresh mask at every call: the function changes between evaluations
        keep = 1 - self.p
        self.mask = input.new_empty(input.shape).bernoulli_(keep, generator=self.generator)
        self.mask.div_(keep)
        return input * self.mask
