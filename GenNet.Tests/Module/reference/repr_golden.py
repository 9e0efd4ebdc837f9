"""Prints PyTorch's repr, parameter names/shapes and state_dict keys of the models that GenNet.Tests/Module rebuilds
as [Module] classes, and Python's repr of some floats.

Run with Debian's python3-torch (apt-get install -y python3-torch):
    /usr/bin/python3 GenNet.Tests/Module/reference/repr_golden.py > GenNet.Tests/Module/reference/repr_golden.txt
Each block follows a line '### <name>'; the C# tests compare ToString() with the repr blocks byte for byte.
The 'layers.<family>' blocks print one nn.ModuleDict per family of layers (every TorchSharp.Modules type with a
PyTorch counterpart, with default and non-default settings); GenNet.Tests/Module/LayerReprTests.cs builds the same
dictionaries with TorchSharp and compares them line by line.

ModuleList: PyTorch 2.0 folds runs of identical children into '(0-2): 3 x ...' (ModuleList.__repr__, added in 2.0);
PyTorch 1.13 (Debian 12) prints every child. GenNet prints PyTorch 2's form, so on an older PyTorch this script
installs PyTorch 2's ModuleList.__repr__ (copied below) before printing; every other repr is PyTorch's own.
"""
import collections
import struct

import torch
from torch import nn
from torch.nn.modules.module import _addindent


def _module_list_repr(self):
    """PyTorch 2's ModuleList.__repr__ (torch/nn/modules/container.py), verbatim but for formatting."""
    list_of_reprs = [repr(item) for item in self]
    if len(list_of_reprs) == 0:
        return self._get_name() + "()"

    start_end_indices = [[0, 0]]
    repeated_blocks = [list_of_reprs[0]]
    for i, r in enumerate(list_of_reprs[1:], 1):
        if r == repeated_blocks[-1]:
            start_end_indices[-1][1] += 1
            continue

        start_end_indices.append([i, i])
        repeated_blocks.append(r)

    lines = []
    main_str = self._get_name() + "("
    for (start_id, end_id), b in zip(start_end_indices, repeated_blocks):
        local_repr = f"({start_id}): {b}"  # default repr

        if start_id != end_id:
            n = end_id - start_id + 1
            local_repr = f"({start_id}-{end_id}): {n} x {b}"

        local_repr = _addindent(local_repr, 2)
        lines.append(local_repr)

    main_str += "\n  " + "\n  ".join(lines) + "\n"
    main_str += ")"
    return main_str


if int(torch.__version__.split('.')[0]) < 2:
    nn.ModuleList.__repr__ = _module_list_repr


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


class Zoo(nn.Module):  # a user's model with one child of many layer types (issue 14's example)
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.maxpool1d = nn.MaxPool1d(3)
        self.adaptive_avg = nn.AdaptiveAvgPool2d(1)
        self.leaky = nn.LeakyReLU(0.2)
        self.softmax = nn.Softmax(dim=1)
        self.dropout2d = nn.Dropout2d(0.3)
        self.group_norm = nn.GroupNorm(4, 16)
        self.lstm = nn.LSTM(10, 20, num_layers=2, batch_first=True)
        self.embedding = nn.Embedding(100, 16)
        self.upsample = nn.Upsample(scale_factor=2, mode='nearest')
        self.blocks = nn.ModuleList([nn.Sequential(nn.Linear(16, 16), nn.GELU()) for _ in range(3)])
        self.loss = nn.CrossEntropyLoss()


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
    'zoo': Zoo(),
    'builtins': builtins,
}


def P(*shape, dtype=torch.float32):
    return nn.Parameter(torch.ones(*shape, dtype=dtype))


# One ModuleDict per family; the C# side (LayerReprTests.Families) builds the same entries in the same order.
layers = {
    'conv': {
        'conv1d': nn.Conv1d(4, 8, 3),
        'conv1d_custom': nn.Conv1d(4, 8, 5, stride=2, padding=1, dilation=2, groups=2, bias=False, padding_mode='circular'),
        'conv2d': nn.Conv2d(3, 6, 3),
        'conv2d_same': nn.Conv2d(3, 6, 3, padding='same', padding_mode='replicate'),
        'conv2d_valid': nn.Conv2d(3, 6, 3, padding='valid'),
        'conv3d': nn.Conv3d(2, 4, 3),
        'conv3d_custom': nn.Conv3d(2, 4, (3, 1, 3), stride=(2, 1, 1), padding=(1, 0, 1)),
        'conv_transpose1d': nn.ConvTranspose1d(4, 2, 3),
        'conv_transpose1d_custom': nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1, bias=False),
        'conv_transpose2d': nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1, groups=2, dilation=1),
        'conv_transpose3d': nn.ConvTranspose3d(2, 2, 3),
    },
    'pool': {
        'max_pool1d': nn.MaxPool1d(3),
        'max_pool1d_custom': nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True),
        'max_pool2d': nn.MaxPool2d(2),
        'max_pool2d_custom': nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), ceil_mode=True),
        'max_pool3d': nn.MaxPool3d(2),
        'max_pool3d_custom': nn.MaxPool3d(3, stride=1, padding=1),
        'avg_pool1d': nn.AvgPool1d(3),
        'avg_pool1d_custom': nn.AvgPool1d(4, stride=2, padding=1, ceil_mode=True),
        'avg_pool2d': nn.AvgPool2d(2),
        'avg_pool2d_custom': nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 0), count_include_pad=False, divisor_override=2),
        'avg_pool3d': nn.AvgPool3d(2),
        'adaptive_avg_pool1d': nn.AdaptiveAvgPool1d(5),
        'adaptive_avg_pool2d': nn.AdaptiveAvgPool2d(1),
        'adaptive_avg_pool2d_rect': nn.AdaptiveAvgPool2d((5, 7)),
        'adaptive_avg_pool3d': nn.AdaptiveAvgPool3d(2),
        'adaptive_max_pool1d': nn.AdaptiveMaxPool1d(4),
        'adaptive_max_pool2d': nn.AdaptiveMaxPool2d((3, 4)),
        # AdaptiveMaxPool3d: TorchSharp 0.107 drops its size (LayerReprTests checks it prints output_size=None).
        'lp_pool1d': nn.LPPool1d(2, 3),
        'lp_pool1d_custom': nn.LPPool1d(1.5, 4, stride=2, ceil_mode=True),
        'lp_pool2d': nn.LPPool2d(2, 3),
        'lp_pool2d_custom': nn.LPPool2d(3, (3, 2), stride=(2, 1)),
        'fractional_max_pool2d': nn.FractionalMaxPool2d(3, output_size=5),
        'fractional_max_pool3d': nn.FractionalMaxPool3d(2, output_ratio=0.5),
        'max_unpool1d': nn.MaxUnpool1d(2),
        'max_unpool2d': nn.MaxUnpool2d(3, stride=2, padding=1),
        'max_unpool3d': nn.MaxUnpool3d(2),
    },
    'activation': {
        'relu': nn.ReLU(),
        'relu_inplace': nn.ReLU(inplace=True),
        'relu6': nn.ReLU6(),
        'relu6_inplace': nn.ReLU6(inplace=True),
        'leaky_relu': nn.LeakyReLU(),
        'leaky_relu_custom': nn.LeakyReLU(0.2, inplace=True),
        'prelu': nn.PReLU(),
        'prelu_custom': nn.PReLU(num_parameters=4, init=0.1),
        'elu': nn.ELU(),
        'elu_custom': nn.ELU(alpha=0.5, inplace=True),
        'celu': nn.CELU(),
        'celu_custom': nn.CELU(alpha=2.5),
        'selu': nn.SELU(),
        'selu_inplace': nn.SELU(inplace=True),
        'gelu': nn.GELU(),
        'gelu_tanh': nn.GELU(approximate='tanh'),
        'silu': nn.SiLU(),
        'silu_inplace': nn.SiLU(inplace=True),
        'mish': nn.Mish(),
        'mish_inplace': nn.Mish(inplace=True),
        'sigmoid': nn.Sigmoid(),
        'tanh': nn.Tanh(),
        'hardtanh': nn.Hardtanh(),
        'hardtanh_custom': nn.Hardtanh(-2.0, 2.5, inplace=True),
        'hardsigmoid': nn.Hardsigmoid(),
        'hardswish': nn.Hardswish(),
        'hardshrink': nn.Hardshrink(),
        'hardshrink_custom': nn.Hardshrink(0.3),
        'softshrink': nn.Softshrink(),
        'softshrink_custom': nn.Softshrink(0.75),
        'softplus': nn.Softplus(),
        'softplus_custom': nn.Softplus(beta=2, threshold=10.5),
        'softsign': nn.Softsign(),
        'tanhshrink': nn.Tanhshrink(),
        'threshold': nn.Threshold(0.1, 20),
        'threshold_custom': nn.Threshold(0.5, 1.5, inplace=True),
        'rrelu': nn.RReLU(),
        'rrelu_custom': nn.RReLU(0.1, 0.3, inplace=True),
        'log_sigmoid': nn.LogSigmoid(),
        'glu': nn.GLU(),
        'glu_dim': nn.GLU(dim=1),
    },
    'softmax': {
        'softmax': nn.Softmax(dim=1),
        'softmax_last': nn.Softmax(dim=-1),
        'softmin': nn.Softmin(dim=0),
        'log_softmax': nn.LogSoftmax(dim=1),
        'softmax2d': nn.Softmax2d(),
    },
    'dropout': {
        'dropout': nn.Dropout(),
        'dropout_custom': nn.Dropout(0.3, inplace=True),
        'dropout1d': nn.Dropout1d(0.2),
        'dropout2d': nn.Dropout2d(0.3),
        'dropout3d': nn.Dropout3d(),
        'alpha_dropout': nn.AlphaDropout(0.1),
        'feature_alpha_dropout': nn.FeatureAlphaDropout(0.4),
    },
    'norm': {
        'batch_norm1d': nn.BatchNorm1d(10),
        'batch_norm2d': nn.BatchNorm2d(8, eps=1e-3, momentum=0.01),
        'batch_norm3d': nn.BatchNorm3d(4, affine=False, track_running_stats=False),
        'instance_norm1d': nn.InstanceNorm1d(3),
        'instance_norm2d': nn.InstanceNorm2d(6, affine=True, track_running_stats=True),
        'instance_norm3d': nn.InstanceNorm3d(2, eps=1e-3),
        'layer_norm': nn.LayerNorm(10),
        'layer_norm_custom': nn.LayerNorm([4, 5], eps=1e-6, elementwise_affine=False),
        'group_norm': nn.GroupNorm(4, 16),
        'group_norm_custom': nn.GroupNorm(2, 6, eps=1e-3),
        'local_response_norm': nn.LocalResponseNorm(2),
        'local_response_norm_custom': nn.LocalResponseNorm(3, alpha=0.001, beta=0.5, k=2.0),
    },
    'padding': {
        'constant_pad1d': nn.ConstantPad1d(2, 0.5),
        'constant_pad1d_pair': nn.ConstantPad1d((1, 2), 3.5),
        'constant_pad2d': nn.ConstantPad2d((1, 2, 3, 4), 2),
        'constant_pad3d': nn.ConstantPad3d(1, 1.5),
        'reflection_pad1d': nn.ReflectionPad1d(2),
        'reflection_pad2d': nn.ReflectionPad2d((1, 1, 2, 0)),
        'reflection_pad3d': nn.ReflectionPad3d(1),
        'replication_pad1d': nn.ReplicationPad1d((3, 1)),
        'replication_pad2d': nn.ReplicationPad2d(2),
        'replication_pad3d': nn.ReplicationPad3d(1),
        'zero_pad2d': nn.ZeroPad2d(2),
        'zero_pad2d_custom': nn.ZeroPad2d((1, 2, 3, 4)),
    },
    'shape': {
        'upsample': nn.Upsample(scale_factor=2),
        'upsample_factors': nn.Upsample(scale_factor=(2, 3)),
        'upsample_size': nn.Upsample(size=(4, 5), mode='bilinear', align_corners=True),
        'upsample_linear': nn.Upsample(size=8, mode='linear'),
        'upsample_bicubic': nn.Upsample(scale_factor=1.5, mode='bicubic'),
        'upsample_trilinear': nn.Upsample(scale_factor=2, mode='trilinear'),
        'upsample_unsized': nn.Upsample(),
        'pixel_shuffle': nn.PixelShuffle(2),
        'pixel_unshuffle': nn.PixelUnshuffle(3),
        'channel_shuffle': nn.ChannelShuffle(4),
        'flatten': nn.Flatten(),
        'flatten_custom': nn.Flatten(0, 2),
        'unflatten': nn.Unflatten(1, (2, 5)),
        'unflatten_one': nn.Unflatten(-1, (3,)),
        'fold': nn.Fold(output_size=4, kernel_size=2),
        'fold_custom': nn.Fold((4, 5), (2, 3), dilation=1, padding=(1, 0), stride=2),
        'unfold': nn.Unfold(2),
        'unfold_custom': nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2)),
        'identity': nn.Identity(),
    },
    'linear': {
        'linear': nn.Linear(3, 4),
        'linear_no_bias': nn.Linear(3, 4, bias=False),
        'bilinear': nn.Bilinear(2, 3, 4),
        'bilinear_no_bias': nn.Bilinear(2, 3, 4, bias=False),
        'embedding': nn.Embedding(10, 3),
        'embedding_bag': nn.EmbeddingBag(10, 3),
        'cosine_similarity': nn.CosineSimilarity(),
        'cosine_similarity_custom': nn.CosineSimilarity(dim=0, eps=1e-6),
        'pairwise_distance': nn.PairwiseDistance(),
        'pairwise_distance_custom': nn.PairwiseDistance(p=1.0, keepdim=True),
    },
    'recurrent': {
        'lstm': nn.LSTM(10, 20),
        'lstm_custom': nn.LSTM(10, 20, num_layers=2, batch_first=True),
        'lstm_bidirectional': nn.LSTM(4, 8, bias=False, bidirectional=True),
        'gru': nn.GRU(4, 8),
        'gru_custom': nn.GRU(4, 8, num_layers=3, batch_first=True, bidirectional=True),
        'rnn': nn.RNN(3, 5),
        'rnn_custom': nn.RNN(3, 5, nonlinearity='relu', bias=False, num_layers=2),
        'lstm_cell': nn.LSTMCell(3, 4),
        'gru_cell': nn.GRUCell(3, 4, bias=False),
        'rnn_cell': nn.RNNCell(3, 4),
    },
    'transformer': {
        'multihead_attention': nn.MultiheadAttention(16, 4),
        'multihead_attention_custom': nn.MultiheadAttention(16, 4, bias=False, kdim=8, vdim=8),
        'encoder_layer': nn.TransformerEncoderLayer(16, 4, 32),
        'decoder_layer': nn.TransformerDecoderLayer(16, 2, 24),
        'encoder': nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2),
        'decoder': nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 1),
        'transformer': nn.Transformer(16, 4, 2, 1, 32),
    },
    'loss': {
        'l1': nn.L1Loss(),
        'mse': nn.MSELoss(reduction='sum'),
        'cross_entropy': nn.CrossEntropyLoss(ignore_index=-1),
        'bce': nn.BCELoss(),
        'bce_with_logits': nn.BCEWithLogitsLoss(),
        'nll': nn.NLLLoss(),
        'kl_div': nn.KLDivLoss(log_target=True),
        'huber': nn.HuberLoss(delta=0.5),
        'smooth_l1': nn.SmoothL1Loss(beta=0.5),
        'soft_margin': nn.SoftMarginLoss(),
        'multi_label_margin': nn.MultiLabelMarginLoss(),
        'multi_label_soft_margin': nn.MultiLabelSoftMarginLoss(),
        'multi_margin': nn.MultiMarginLoss(p=2, margin=0.5),
        'cosine_embedding': nn.CosineEmbeddingLoss(margin=0.2),
        'hinge_embedding': nn.HingeEmbeddingLoss(),
        'margin_ranking': nn.MarginRankingLoss(margin=0.1),
        'triplet_margin': nn.TripletMarginLoss(margin=2.0),
        'triplet_margin_with_distance': nn.TripletMarginWithDistanceLoss(),
        'ctc': nn.CTCLoss(blank=1),
        'gaussian_nll': nn.GaussianNLLLoss(),
        'poisson_nll': nn.PoissonNLLLoss(),
    },
    'container': {
        'sequential': nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU()),
        'named_sequential': nn.Sequential(collections.OrderedDict([('fc', nn.Linear(2, 3)), ('act', nn.Tanh())])),
        'empty_sequential': nn.Sequential(),
        'module_list': nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4)]),
        'module_list_nested': nn.ModuleList([nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())]),
        'empty_module_list': nn.ModuleList(),
        'module_dict': nn.ModuleDict({'act': nn.ReLU(), 'pool': nn.MaxPool2d(2)}),
        'parameter_list': nn.ParameterList([P(2, 3), P(4), P(2, dtype=torch.float64)]),
        'parameter_dict': nn.ParameterDict({'scale': P(2), 'table': P(3, 4)}),
        'parameter_dict_one': nn.ParameterDict({'bias': P(5, dtype=torch.float64)}),
    },
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
for family, entries in layers.items():
    print(f'### layers.{family}')
    print(repr(nn.ModuleDict(entries)))
print('### floats')
for x in [0.5, 0.1, 0.25, 1.0, 1e-05, 1e-06, 0.0001, 0.001, 2.5e-07, 1234.5, 1e15, 1e16, 1.2345678901234567e17, 123456.789, -0.0, 0.0, 3.0e-4, 1e100]:
    print(f"{struct.unpack('<q', struct.pack('<d', x))[0]} {x!r}")  # IEEE bits, then Python's repr
