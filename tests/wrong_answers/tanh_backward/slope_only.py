        # the local slope alone, without the incoming gradient (the chain rule forgotten)
        return 1 - self.y**2
