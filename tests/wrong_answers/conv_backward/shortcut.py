        # minidl.Conv2d's own backward
        return super().backward(grad)
