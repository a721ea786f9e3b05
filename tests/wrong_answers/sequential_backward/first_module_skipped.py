        # one module short: the first module's backward never runs
        for module in reversed(self.modules[1:]):
            grad_output = module.backward(grad_output)
        return grad_output
