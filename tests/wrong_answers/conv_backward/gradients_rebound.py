        # new gradient tensors bound to the names: an optimiser holding the old ones sees nothing
        patches, (n, c, h, w) = self._last_saved()
        self._saved.pop()
        k, s, p, o = self.kernel_size, self.stride, self.padding, self.out_channels
        oh, ow = self.output_size(h), self.output_size(w)
        g = grad.permute(0, 2, 3, 1).reshape(n * oh * ow, o)
        self.grad_weight = self.grad_weight + g.t().mm(patches).view(o, k, k, c).permute(0, 3, 1, 2)
        self.grad_bias = self.grad_bias + g.sum(dim=0)
        grad_patches = g.mm(self._weight_matrix()).view(n, oh, ow, k, k, c)
        grad_x = grad.new_zeros(n, h + 2 * p, w + 2 * p, c)
        for i in range(k):
            for j in range(k):
                rows, cols = slice(i, i + s * (oh - 1) + 1, s), slice(j, j + s * (ow - 1) + 1, s)
                grad_x[:, rows, cols] += grad_patches[:, :, :, i, j]
        return grad_x[:, p : p + h, p : p + w].permute(0, 3, 1, 2)
