        # minidl.SGD's own step, built once over the same pairs
        if not hasattr(self, "package"):
            self.package = SGD(self.pairs, lr=self.lr, momentum=self.momentum)
        self.package.step()
