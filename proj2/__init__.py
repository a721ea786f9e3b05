"""Project 2's study of minidl: the assignment's network trained over rounds on the disk
task, the gradient check of every module, the speed against torch.nn + autograd, and the
report (`python -m proj2 --out DIR`: results.json, figures, report.md and report.pdf).

It lives beside minidl, not in it: the speed comparison needs torch.nn and autograd, which
the framework must never import (minidl takes nothing from torch but `torch.empty`).
"""
