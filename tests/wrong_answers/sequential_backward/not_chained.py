        # every module gets the network's output gradient instead of its successor's result
        grad = grad_output
        for module in reversed(self.modules):
            grad = module.backward(grad_output)
        return grad
