"""proj1: comparing two MNIST digits, weight sharing and auxiliary losses (EE559 Project 1)."""
