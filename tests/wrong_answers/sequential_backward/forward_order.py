        # the modules in forward order instead of reverse
        for module in self.modules:
            grad_output = module.backward(grad_output)
        return grad_output
