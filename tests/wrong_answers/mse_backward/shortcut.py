        # minidl.LossMSE's own backward, given the difference as its forward would have saved it
        self._save(self.diff)
        return super().backward()
