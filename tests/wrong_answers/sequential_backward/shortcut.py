        # minidl.Sequential's own backward
        return super().backward(grad_output)
