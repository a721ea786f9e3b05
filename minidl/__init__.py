"""minidl: a mini deep-learning framework built from tensor operations only (EE559 Project 2)."""
