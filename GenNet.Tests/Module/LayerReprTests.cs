using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using GenNet.Modules;
using GenNet.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Module;

/// <summary>
/// Every TorchSharp layer type prints as PyTorch prints it: the families of reference/repr_golden.py, built here with
/// TorchSharp and compared line by line with the golden text.
/// </summary>
public sealed class LayerReprTests
{
    private static Parameter P(params long[] shape) => new(ones(shape));

    private static Parameter P64(params long[] shape) => new(ones(shape, ScalarType.Float64));

    /// <summary>The C# twin of each <c>layers</c> family in repr_golden.py, entry for entry.</summary>
    private static readonly Dictionary<string, Func<(string, nn.Module)[]>> Families = new()
    {
        ["conv"] = () => new (string, nn.Module)[]
        {
            ("conv1d", nn.Conv1d(4, 8, 3)),
            ("conv1d_custom", nn.Conv1d(4, 8, 5, stride: 2, padding: 1, dilation: 2, padding_mode: PaddingModes.Circular, groups: 2, bias: false)),
            ("conv2d", nn.Conv2d(3, 6, 3)),
            ("conv2d_same", nn.Conv2d(3, 6, 3, Padding.Same, padding_mode: PaddingModes.Replicate)),
            ("conv2d_valid", nn.Conv2d(3, 6, 3, Padding.Valid)),
            ("conv3d", nn.Conv3d(2, 4, 3)),
            ("conv3d_custom", nn.Conv3d(2, 4, (3, 1, 3), stride: (2, 1, 1), padding: (1, 0, 1))),
            ("conv_transpose1d", nn.ConvTranspose1d(4, 2, 3)),
            ("conv_transpose1d_custom", nn.ConvTranspose1d(4, 2, 3, stride: 2, padding: 1, output_padding: 1, bias: false)),
            ("conv_transpose2d", nn.ConvTranspose2d(8, 4, 3, stride: 2, padding: 1, output_padding: 1, dilation: 1, groups: 2)),
            ("conv_transpose3d", nn.ConvTranspose3d(2, 2, 3)),
        },
        ["pool"] = () => new (string, nn.Module)[]
        {
            ("max_pool1d", nn.MaxPool1d(3)),
            ("max_pool1d_custom", nn.MaxPool1d(3, stride: 2, padding: 1, dilation: 2, ceil_mode: true)),
            ("max_pool2d", nn.MaxPool2d(2)),
            ("max_pool2d_custom", nn.MaxPool2d((3, 2), stride: (2, 1), padding: (1, 0), dilation: (1, 2), ceil_mode: true)),
            ("max_pool3d", nn.MaxPool3d(2)),
            ("max_pool3d_custom", nn.MaxPool3d(3, stride: 1, padding: 1)),
            ("avg_pool1d", nn.AvgPool1d(3)),
            ("avg_pool1d_custom", nn.AvgPool1d(4, stride: 2, padding: 1, ceil_mode: true)),
            ("avg_pool2d", nn.AvgPool2d(2)),
            ("avg_pool2d_custom", nn.AvgPool2d((3, 2), stride: (2, 1), padding: (1, 0), count_include_pad: false, divisor_override: 2)),
            ("avg_pool3d", nn.AvgPool3d(2)),
            ("adaptive_avg_pool1d", nn.AdaptiveAvgPool1d(5)),
            ("adaptive_avg_pool2d", nn.AdaptiveAvgPool2d(1)),
            ("adaptive_avg_pool2d_rect", nn.AdaptiveAvgPool2d((5, 7))),
            ("adaptive_avg_pool3d", nn.AdaptiveAvgPool3d(2)),
            ("adaptive_max_pool1d", nn.AdaptiveMaxPool1d(4)),
            ("adaptive_max_pool2d", nn.AdaptiveMaxPool2d(new long[] { 3, 4 })),
            ("lp_pool1d", nn.LPPool1d(2, 3)),
            ("lp_pool1d_custom", nn.LPPool1d(1.5, 4, stride: 2, ceil_mode: true)),
            ("lp_pool2d", nn.LPPool2d(2, 3)),
            ("lp_pool2d_custom", nn.LPPool2d(3, new long[] { 3, 2 }, new long[] { 2, 1 })),
            ("fractional_max_pool2d", nn.FractionalMaxPool2d(3, output_size: 5)),
            ("fractional_max_pool3d", nn.FractionalMaxPool3d(2, output_ratio: 0.5)),
            ("max_unpool1d", nn.MaxUnpool1d(2)),
            ("max_unpool2d", nn.MaxUnpool2d(3, stride: 2, padding: 1)),
            ("max_unpool3d", nn.MaxUnpool3d(2)),
        },
        ["activation"] = () => new (string, nn.Module)[]
        {
            ("relu", nn.ReLU()),
            ("relu_inplace", nn.ReLU(inplace: true)),
            ("relu6", nn.ReLU6()),
            ("relu6_inplace", nn.ReLU6(inplace: true)),
            ("leaky_relu", nn.LeakyReLU()),
            ("leaky_relu_custom", nn.LeakyReLU(0.2, inplace: true)),
            ("prelu", nn.PReLU(1)),
            ("prelu_custom", nn.PReLU(4, init: 0.1)),
            ("elu", nn.ELU()),
            ("elu_custom", nn.ELU(alpha: 0.5, inplace: true)),
            ("celu", nn.CELU()),
            ("celu_custom", nn.CELU(alpha: 2.5)),
            ("selu", nn.SELU()),
            ("selu_inplace", nn.SELU(inplace: true)),
            ("gelu", nn.GELU()),
            ("gelu_tanh", nn.GELU(GELU.Approximate.tanh)),
            ("silu", nn.SiLU()),
            ("silu_inplace", nn.SiLU(inplace: true)),
            ("mish", nn.Mish()),
            ("mish_inplace", nn.Mish(inplace: true)),
            ("sigmoid", nn.Sigmoid()),
            ("tanh", nn.Tanh()),
            ("hardtanh", nn.Hardtanh()),
            ("hardtanh_custom", nn.Hardtanh(-2.0, 2.5, inplace: true)),
            ("hardsigmoid", nn.Hardsigmoid()),
            ("hardswish", nn.Hardswish()),
            ("hardshrink", nn.Hardshrink()),
            ("hardshrink_custom", nn.Hardshrink(0.3)),
            ("softshrink", nn.Softshrink()),
            ("softshrink_custom", nn.Softshrink(0.75)),
            ("softplus", nn.Softplus()),
            ("softplus_custom", nn.Softplus(beta: 2, threshold: 10.5)),
            ("softsign", nn.Softsign()),
            ("tanhshrink", nn.Tanhshrink()),
            ("threshold", nn.Threshold(0.1, 20)),
            ("threshold_custom", nn.Threshold(0.5, 1.5, inplace: true)),
            ("rrelu", nn.RReLU()),
            ("rrelu_custom", nn.RReLU(0.1, 0.3, inplace: true)),
            ("log_sigmoid", nn.LogSigmoid()),
            ("glu", nn.GLU()),
            ("glu_dim", nn.GLU(dim: 1)),
        },
        ["softmax"] = () => new (string, nn.Module)[]
        {
            ("softmax", nn.Softmax(1)),
            ("softmax_last", nn.Softmax(-1)),
            ("softmin", nn.Softmin(0)),
            ("log_softmax", nn.LogSoftmax(1)),
            ("softmax2d", nn.Softmax2d()),
        },
        ["dropout"] = () => new (string, nn.Module)[]
        {
            ("dropout", nn.Dropout()),
            ("dropout_custom", nn.Dropout(0.3, inplace: true)),
            ("dropout1d", nn.Dropout1d(0.2)),
            ("dropout2d", nn.Dropout2d(0.3)),
            ("dropout3d", nn.Dropout3d()),
            ("alpha_dropout", nn.AlphaDropout(0.1)),
            ("feature_alpha_dropout", nn.FeatureAlphaDropout(0.4)),
        },
        ["norm"] = () => new (string, nn.Module)[]
        {
            ("batch_norm1d", nn.BatchNorm1d(10)),
            ("batch_norm2d", nn.BatchNorm2d(8, eps: 1e-3, momentum: 0.01)),
            ("batch_norm3d", nn.BatchNorm3d(4, affine: false, track_running_stats: false)),
            ("instance_norm1d", nn.InstanceNorm1d(3)),
            ("instance_norm2d", nn.InstanceNorm2d(6, affine: true, track_running_stats: true)),
            ("instance_norm3d", nn.InstanceNorm3d(2, eps: 1e-3)),
            ("layer_norm", nn.LayerNorm(10)),
            ("layer_norm_custom", nn.LayerNorm(new long[] { 4, 5 }, eps: 1e-6, elementwise_affine: false)),
            ("group_norm", nn.GroupNorm(4, 16)),
            ("group_norm_custom", nn.GroupNorm(2, 6, eps: 1e-3)),
            ("local_response_norm", nn.LocalResponseNorm(2)),
            ("local_response_norm_custom", nn.LocalResponseNorm(3, alpha: 0.001, beta: 0.5, k: 2.0)),
        },
        ["padding"] = () => new (string, nn.Module)[]
        {
            ("constant_pad1d", nn.ConstantPad1d(2, 0.5)),
            ("constant_pad1d_pair", nn.ConstantPad1d((1, 2), 3.5)),
            ("constant_pad2d", nn.ConstantPad2d((1, 2, 3, 4), 2)),
            ("constant_pad3d", nn.ConstantPad3d(1, 1.5)),
            ("reflection_pad1d", nn.ReflectionPad1d(2)),
            ("reflection_pad2d", nn.ReflectionPad2d((1, 1, 2, 0))),
            ("reflection_pad3d", nn.ReflectionPad3d(1)),
            ("replication_pad1d", nn.ReplicationPad1d((3, 1))),
            ("replication_pad2d", nn.ReplicationPad2d(2)),
            ("replication_pad3d", nn.ReplicationPad3d(1)),
            ("zero_pad2d", nn.ZeroPad2d(2)),
            ("zero_pad2d_custom", nn.ZeroPad2d((1, 2, 3, 4))),
        },
        ["shape"] = () => new (string, nn.Module)[]
        {
            ("upsample", nn.Upsample(scale_factor: new[] { 2.0 })),
            ("upsample_factors", nn.Upsample(scale_factor: new[] { 2.0, 3.0 })),
            ("upsample_size", nn.Upsample(size: new long[] { 4, 5 }, mode: UpsampleMode.Bilinear, align_corners: true)),
            ("upsample_linear", nn.Upsample(size: new long[] { 8 }, mode: UpsampleMode.Linear)),
            ("upsample_bicubic", nn.Upsample(scale_factor: new[] { 1.5 }, mode: UpsampleMode.Bicubic)),
            ("upsample_trilinear", nn.Upsample(scale_factor: new[] { 2.0 }, mode: UpsampleMode.Trilinear)),
            ("upsample_unsized", nn.Upsample()),
            ("pixel_shuffle", nn.PixelShuffle(2)),
            ("pixel_unshuffle", nn.PixelUnshuffle(3)),
            ("channel_shuffle", nn.ChannelShuffle(4)),
            ("flatten", nn.Flatten()),
            ("flatten_custom", nn.Flatten(0, 2)),
            ("unflatten", nn.Unflatten(1, new long[] { 2, 5 })),
            ("unflatten_one", nn.Unflatten(-1, new long[] { 3 })),
            ("fold", nn.Fold(4, 2)),
            ("fold_custom", nn.Fold((4, 5), (2, 3), dilation: (1, 1), padding: (1, 0), stride: (2, 2))),
            ("unfold", nn.Unfold(2)),
            ("unfold_custom", nn.Unfold((2, 3), dilation: (2, 2), padding: (1, 1), stride: (1, 2))),
            ("identity", nn.Identity()),
        },
        ["linear"] = () => new (string, nn.Module)[]
        {
            ("linear", nn.Linear(3, 4)),
            ("linear_no_bias", nn.Linear(3, 4, hasBias: false)),
            ("bilinear", nn.Bilinear(2, 3, 4)),
            ("bilinear_no_bias", nn.Bilinear(2, 3, 4, hasBias: false)),
            ("embedding", nn.Embedding(10, 3)),
            ("embedding_bag", nn.EmbeddingBag(10, 3)),
            ("cosine_similarity", nn.CosineSimilarity()),
            ("cosine_similarity_custom", nn.CosineSimilarity(dim: 0, eps: 1e-6)),
            ("pairwise_distance", nn.PairwiseDistance()),
            ("pairwise_distance_custom", nn.PairwiseDistance(p: 1.0, keepdim: true)),
        },
        ["recurrent"] = () => new (string, nn.Module)[]
        {
            ("lstm", nn.LSTM(10, 20)),
            ("lstm_custom", nn.LSTM(10, 20, numLayers: 2, batchFirst: true)),
            ("lstm_bidirectional", nn.LSTM(4, 8, bias: false, bidirectional: true)),
            ("gru", nn.GRU(4, 8)),
            ("gru_custom", nn.GRU(4, 8, numLayers: 3, batchFirst: true, bidirectional: true)),
            ("rnn", nn.RNN(3, 5)),
            ("rnn_custom", nn.RNN(3, 5, numLayers: 2, nonLinearity: nn.NonLinearities.ReLU, bias: false)),
            ("lstm_cell", nn.LSTMCell(3, 4)),
            ("gru_cell", nn.GRUCell(3, 4, bias: false)),
            ("rnn_cell", nn.RNNCell(3, 4)),
        },
        ["transformer"] = () => new (string, nn.Module)[]
        {
            ("multihead_attention", nn.MultiheadAttention(16, 4)),
            ("multihead_attention_custom", nn.MultiheadAttention(16, 4, bias: false, kdim: 8, vdim: 8)),
            ("encoder_layer", nn.TransformerEncoderLayer(16, 4, 32)),
            ("decoder_layer", nn.TransformerDecoderLayer(16, 2, 24)),
            ("encoder", nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32), 2)),
            ("decoder", nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), 1)),
            ("transformer", nn.Transformer(16, 4, 2, 1, 32)),
        },
        ["loss"] = () => new (string, nn.Module)[]
        {
            ("l1", nn.L1Loss()),
            ("mse", nn.MSELoss(nn.Reduction.Sum)),
            ("cross_entropy", nn.CrossEntropyLoss(ignore_index: -1)),
            ("bce", nn.BCELoss()),
            ("bce_with_logits", nn.BCEWithLogitsLoss()),
            ("nll", nn.NLLLoss()),
            ("kl_div", nn.KLDivLoss(log_target: true)),
            ("huber", nn.HuberLoss(delta: 0.5)),
            ("smooth_l1", nn.SmoothL1Loss(beta: 0.5)),
            ("soft_margin", nn.SoftMarginLoss()),
            ("multi_label_margin", nn.MultiLabelMarginLoss()),
            ("multi_label_soft_margin", nn.MultiLabelSoftMarginLoss()),
            ("multi_margin", nn.MultiMarginLoss(p: 2, margin: 0.5)),
            ("cosine_embedding", nn.CosineEmbeddingLoss(margin: 0.2)),
            ("hinge_embedding", nn.HingeEmbeddingLoss()),
            ("margin_ranking", nn.MarginRankingLoss(margin: 0.1)),
            ("triplet_margin", nn.TripletMarginLoss(margin: 2.0)),
            ("triplet_margin_with_distance", nn.TripletMarginWithDistanceLoss()),
            ("ctc", nn.CTCLoss(blank: 1)),
            ("gaussian_nll", nn.GaussianNLLLoss()),
            ("poisson_nll", nn.PoissonNLLLoss()),
        },
        ["container"] = () => new (string, nn.Module)[]
        {
            ("sequential", nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU())),
            ("named_sequential", nn.Sequential(("fc", nn.Linear(2, 3)), ("act", nn.Tanh()))),
            ("empty_sequential", nn.Sequential()),
            ("module_list", nn.ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(4, 4), nn.Linear(4, 4), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4))),
            ("module_list_nested", nn.ModuleList(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()))),
            ("empty_module_list", nn.ModuleList<nn.Module>()),
            ("module_dict", nn.ModuleDict<nn.Module>(("act", nn.ReLU()), ("pool", nn.MaxPool2d(2)))),
            ("parameter_list", nn.ParameterList(P(2, 3), P(4), P64(2))),
            ("parameter_dict", nn.ParameterDict(("scale", P(2)), ("table", P(3, 4)))),
            ("parameter_dict_one", nn.ParameterDict(("bias", P64(5)))),
        },
    };

    public static IEnumerable<object[]> FamilyNames() => Families.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void FamilyPrintsLikePyTorch(string family)
    {
        string[] expected = PyTorchReference.Lines("layers." + family);
        string[] actual = nn.ModuleDict(Families[family]()).Repr().Split('\n');

        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            Assert.True(expected[i] == actual[i], $"layers.{family}, line {i + 1}:\n  PyTorch: {expected[i]}\n  GenNet:  {actual[i]}");
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public void EveryGoldenFamilyIsBuiltHere()
    {
        var golden = PyTorchReference.BlockNames().Where(n => n.StartsWith("layers.", StringComparison.Ordinal)).Select(n => n.Substring(7));
        Assert.Equal(golden.OrderBy(n => n), Families.Keys.OrderBy(n => n));
    }

    [Fact]
    public void EveryTorchSharpLayerTypeIsPrintedSomewhereInTheFamilies()
    {
        // The families are the proof that an entry prints as PyTorch does; a type with an entry but no golden line
        // would be untested.
        var printed = Families.Values.SelectMany(build => build()).Select(entry => entry.Item2.GetType())
            .Select(t => t.IsGenericType ? t.GetGenericTypeDefinition() : t).ToHashSet();
        printed.UnionWith(CheckedOutsideTheFamilies);
        var missing = TorchSharpLayerTypes().Where(t => !printed.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "Not in any family of repr_golden.py / LayerReprTests: " + string.Join(", ", missing));
    }

    /// <summary>Types whose repr cannot equal PyTorch's for a reason TorchSharp gives, each checked by its own test here.</summary>
    private static readonly Type[] CheckedOutsideTheFamilies =
    {
        typeof(AdaptiveMaxPool3d), // AdaptiveMaxPool3dPrintsTheNoneSizeTorchSharpKeeps
    };

    [Fact]
    public void AdaptiveMaxPool3dPrintsTheNoneSizeTorchSharpKeeps()
    {
        // TorchSharp 0.107's constructor never stores output_size (unlike AdaptiveAvgPool3d's), so the size is lost.
        Assert.Null(nn.AdaptiveMaxPool3d(new long[] { 2, 2, 2 }).output_size);
        Assert.Equal("AdaptiveMaxPool3d(output_size=None)", nn.AdaptiveMaxPool3d(new long[] { 2, 2, 2 }).Repr());
        Assert.Equal("AdaptiveAvgPool3d(output_size=2)", nn.AdaptiveAvgPool3d(new long[] { 2, 2, 2 }).Repr());
    }

    /// <summary>
    /// TorchSharp.Modules types that are modules but have no PyTorch counterpart, so no PyTorch repr to match. Empty for
    /// TorchSharp 0.107: each of its module types mirrors a torch.nn class. A TorchSharp-only layer added by an upgrade
    /// goes here, with the reason.
    /// </summary>
    private static readonly HashSet<Type> WithoutPyTorchCounterpart = new();

    [Fact]
    public void EveryTorchSharpLayerTypeHasAnEntry()
    {
        var missing = TorchSharpLayerTypes()
            .Where(t => !WithoutPyTorchCounterpart.Contains(t) && !ModuleRepr.HasBuiltInEntry(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(missing.Count == 0,
            "TorchSharp module types without an entry in GenNet.Runtime/Modules/BuiltInReprs.cs (add one, and a line to " +
            "repr_golden.py's families): " + string.Join(", ", missing));
    }

    [Fact]
    public void TheTypeScanFindsTheLayers()
    {
        // Guards the scan above: it must see the layers it is meant to check.
        var types = TorchSharpLayerTypes();
        Assert.Contains(typeof(Conv2d), types);
        Assert.Contains(typeof(LSTM), types);
        Assert.Contains(typeof(CrossEntropyLoss), types);
        Assert.Contains(typeof(ModuleList<>), types);
        Assert.True(types.Count > 100, $"only {types.Count} types found");
        Assert.False(ModuleRepr.HasBuiltInEntry(typeof(Mlp)));
    }

    /// <summary>The concrete module types TorchSharp declares in TorchSharp.Modules (generic ones by definition).</summary>
    internal static IReadOnlyList<Type> TorchSharpLayerTypes()
    {
        Type[] all;
        try
        {
            all = typeof(nn.Module).Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            all = e.Types.Where(t => t is not null).Select(t => t!).ToArray();
        }
        return all
            .Where(t => t.IsPublic && !t.IsAbstract && t.Namespace == "TorchSharp.Modules" && t.IsSubclassOf(typeof(nn.Module)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void RecurrentSettingsComeFromTheWeights()
    {
        // A bidirectional two-layer LSTM over batch-first input: hidden size from weight_ih (4 gates), layers from the
        // per-layer weights, direction from the _reverse ones, batch_first from TorchSharp's field.
        Assert.Equal("LSTM(7, 3, num_layers=2, batch_first=True, bidirectional=True)",
            nn.LSTM(7, 3, numLayers: 2, batchFirst: true, bidirectional: true).Repr());
        Assert.Equal("GRU(2, 9, bias=False)", nn.GRU(2, 9, bias: false).Repr());
    }

    [Fact]
    public void GroupNormWithoutAffineCannotKnowItsChannels()
        => Assert.Equal("GroupNorm(2, ?, eps=1e-05, affine=False)", nn.GroupNorm(2, 6, affine: false).Repr());

    [Fact]
    public void TheCommittedGoldenFileIsWhatTheScriptPrints()
    {
        string root = ProcessRunner.RepositoryRoot();
        string script = Path.Combine(root, "GenNet.Tests", "Module", "reference", "repr_golden.py");
        if (!PyTorchAvailable.Value)
        {
            // Debian's python3-torch is the reference (.ci/run installs it); without it there is nothing to compare.
            Assert.Fail("Debian's PyTorch is missing: apt-get install python3-torch (as .ci/run does), then rerun.");
        }
        var result = ProcessRunner.Run("/usr/bin/python3", new[] { script }, root, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Output);
        string committed = File.ReadAllText(Path.Combine(root, "GenNet.Tests", "Module", "reference", "repr_golden.txt")).Replace("\r\n", "\n");
        Assert.Equal(committed, result.StandardOutput.Replace("\r\n", "\n"));
    }

    private static readonly Lazy<bool> PyTorchAvailable = new(() =>
        File.Exists("/usr/bin/python3")
        && ProcessRunner.Run("/usr/bin/python3", new[] { "-c", "import torch" }, Path.GetTempPath(), TimeSpan.FromMinutes(2)).ExitCode == 0);
}
