        return 1 - self.y**2
