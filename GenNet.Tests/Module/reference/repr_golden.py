"""Prints PyTorch's repr, parameter names/shapes and state_dict keys of the models that GenNet.Tests/Module rebuilds
as [Module] classes, and Python's repr of some floats.

Run with Debian's python3-torch (apt-get install -y python3-torch):
    /usr/bin/python3 GenNet.Tests/Module/reference/repr_golden.py > GenNet.Tests/Module/reference/repr_golden.txt
Each block follows a line '### <name>'; the C# tests compare ToString() with the repr blocks byte for byte.
ModuleList children here are all different: PyTorch 2 folds runs of identical children into '(0-2): 3 x ...',
which PyTorch 1.13 (Debian 12) does not, so that case is tested against PyTorch 2's format by hand.
"""
import struct

import torch
from torch import nn


class Mlp(nn.Module):  # the lesson's MLP (fast.ai lesson 14, 04_minibatch_training)
    def __init__(self, n_in, nh, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, nh)
        self.act = nn.ReLU()
        self.l2 = nn.Linear(nh, n_out)


class LayersModel(nn.Module):  # the lesson's list of layers registered with add_module
    def __init__(self, layers):
        super().__init__()
        self.layers = layers
        for i, l in enumerate(self.layers):
            self.add_module(f'layer_{i}', l)


class SequentialModel(nn.Module):  # the lesson's model over nn.ModuleList
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)


class Block(nn.Module):  # extra_repr followed by children, nested containers, a parameter and buffers
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(4))
        self.register_buffer('running_mean', torch.zeros(4))
        self.conv = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.heads = nn.ModuleDict({'cls': nn.Linear(8, 10), 'box': nn.Linear(8, 4, bias=False)})
        self.body = nn.Sequential(nn.Flatten(), nn.Dropout(0.25), nn.Sequential(nn.Linear(8, 8), nn.GELU()))

    def extra_repr(self):
        return 'width=4\nnote=two lines'


class Tiny(nn.Module):
    pass


builtins = nn.Sequential(
    nn.Linear(3, 4, bias=False),
    nn.Conv1d(16, 33, 3, stride=2),
    nn.Conv2d(1, 8, 3, stride=2, padding=1),
    nn.Conv2d(4, 8, 3, padding='same', bias=False),
    nn.Conv2d(2, 4, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1), groups=2, padding_mode='reflect'),
    nn.ReLU(),
    nn.ReLU(inplace=True),
    nn.GELU(),
    nn.GELU(approximate='tanh'),
    nn.Sigmoid(),
    nn.Tanh(),
    nn.Dropout(0.25),
    nn.BatchNorm1d(10),
    nn.BatchNorm2d(8, eps=1e-3, momentum=0.01, affine=False),
    nn.LayerNorm(10),
    nn.LayerNorm([4, 5], eps=1e-6),
    nn.Flatten(),
    nn.Flatten(0, 2),
    nn.Embedding(10, 3),
    nn.MaxPool2d(2),
    nn.MaxPool2d(3, stride=2, padding=1),
    nn.AvgPool2d(2),
    nn.AvgPool2d(3, stride=1, padding=1),
)

models = {
    'mlp': Mlp(784, 50, 10),
    'layers': LayersModel([nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)]),
    'module_list': SequentialModel([nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)]),
    'sequential': nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10)),
    'block': Block(),
    'tiny': Tiny(),
    'builtins': builtins,
}

print(f'# PyTorch {torch.__version__}')
for name, model in models.items():
    print(f'### {name}')
    print(repr(model))
for name in ['mlp', 'block']:
    print(f'### {name}.named_parameters')
    for key, p in models[name].named_parameters():
        print(f'{key} {list(p.shape)}')
    print(f'### {name}.state_dict')
    for key in models[name].state_dict().keys():
        print(key)
print('### floats')
for x in [0.5, 0.1, 0.25, 1.0, 1e-05, 1e-06, 0.0001, 0.001, 2.5e-07, 1234.5, 1e15, 1e16, 1.2345678901234567e17, 123456.789, -0.0, 0.0, 3.0e-4, 1e100]:
    print(f"{struct.unpack('<q', struct.pack('<d', x))[0]} {x!r}")  # IEEE bits, then Python's repr
