        # the bias gradient averaged over the batch instead of summed
        self.grad_weight += grad_output.T @ self.x
        self.grad_bias += grad_output.mean(dim=0)
        return grad_output @ self.weight
