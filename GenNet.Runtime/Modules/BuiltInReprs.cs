using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static GenNet.Modules.PyFormat;
using static TorchSharp.torch;

namespace GenNet.Modules;

/// <summary>How <see cref="ModuleRepr"/> prints one TorchSharp module type.</summary>
/// <param name="Extra">PyTorch's <c>extra_repr()</c> of the module: its settings, defaults left out where PyTorch leaves them out.</param>
/// <param name="Children">
/// The children PyTorch prints, as <c>(key, repr)</c>, for the native modules whose children TorchSharp does not expose
/// (the transformer layers, MultiheadAttention); null to print the registered children.
/// </param>
/// <param name="FoldsRepeatedChildren">ModuleList: runs of identical children print once (PyTorch 2).</param>
internal sealed record ReprEntry(
    Func<nn.Module, string> Extra,
    Func<nn.Module, IReadOnlyList<(string Key, string Repr)>>? Children = null,
    bool FoldsRepeatedChildren = false);

/// <summary>
/// The table of PyTorch reprs: one entry per TorchSharp module type (or a base type several share), each the C#
/// counterpart of that layer's <c>extra_repr</c> in PyTorch 1.13's <c>torch/nn/modules</c>. Adding a layer is adding
/// its entry here; GenNet.Tests/Module/LayerReprTests checks every <c>TorchSharp.Modules</c> type has one and prints as
/// PyTorch does.
/// </summary>
internal static class BuiltInReprs
{
    private static readonly Dictionary<Type, ReprEntry> Entries = Build();

    /// <summary>The entry for <paramref name="type"/> or its nearest base type that has one (generic types by their definition).</summary>
    public static ReprEntry? Find(Type type)
    {
        for (var t = type; t is not null && t != typeof(nn.Module); t = t.BaseType)
        {
            if (t.Assembly != typeof(nn.Module).Assembly)
                continue; // a user's subclass prints as the TorchSharp layer it extends
            if (Entries.TryGetValue(t, out var entry) || (t.IsGenericType && Entries.TryGetValue(t.GetGenericTypeDefinition(), out entry)))
                return entry;
        }
        return null;
    }

    private static Dictionary<Type, ReprEntry> Build()
    {
        var table = new Table();

        // Containers: Sequential and ModuleDict print their children; ModuleList folds repeats (PyTorch 2).
        table.Add<Sequential>(None);
        table.Add(typeof(ModuleDict<>), new ReprEntry(None));
        table.Add(typeof(ModuleList<>), new ReprEntry(None, FoldsRepeatedChildren: true));
        table.Add<ParameterList>(m => ParameterLines(m.Select((p, i) => (Int(i), p)), dict: false));
        table.Add<ParameterDict>(m => ParameterLines(((IList<(string, Parameter)>)m).Select(item => (item.Item1, item.Item2)), dict: true));

        // Linear layers and lookups.
        table.Add<Identity>(None);
        table.Add<Linear>(m => $"in_features={Int(m.in_features)}, out_features={Int(m.out_features)}, bias={Bool(m.bias is not null)}");
        table.Add<Bilinear>(m => $"in1_features={Int(m.in1_features)}, in2_features={Int(m.in2_features)}, out_features={Int(m.out_features)}, bias={Bool(m.bias is not null)}");
        // TorchSharp keeps Embedding's and EmbeddingBag's options in the native module only: the sizes come from the
        // weight; padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse and mode are the defaults (docs/repr.md).
        table.Add<Embedding>(m => m.weight is { } w ? $"{Int(w.shape[0])}, {Int(w.shape[1])}" : "");
        table.Add<EmbeddingBag>(m => m.weight is { } w ? $"{Int(w.shape[0])}, {Int(w.shape[1])}, mode=mean" : "mode=mean");

        // Convolutions (PyTorch's _ConvNd.extra_repr), one entry for the six of them.
        table.Add<Convolution>(ConvolutionRepr);

        // Pooling.
        table.Add<MaxPool1d>(m => $"kernel_size={Int(m.kernel_size)}, stride={Int(m.stride ?? m.kernel_size)}, padding={Int(m.padding ?? 0)}, " +
                                  $"dilation={Int(m.dilation ?? 1)}, ceil_mode={Bool(m.ceil_mode)}");
        table.Add<MaxPool2d>(m => MaxPoolRepr(m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode));
        table.Add<MaxPool3d>(m => MaxPoolRepr(m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode));
        // AvgPool1d normalizes its sizes to 1-tuples (_single); AvgPool2d/3d echo them as given.
        table.Add<AvgPool1d>(m => $"kernel_size={Tuple(new[] { m.kernel_size })}, stride={Tuple(new[] { m.stride ?? m.kernel_size })}, padding={Tuple(new[] { m.padding ?? 0 })}");
        table.Add<AvgPool2d>(m => $"kernel_size={AsGiven(m.kernel_size)}, stride={AsGiven(m.stride ?? m.kernel_size)}, padding={AsGiven(m.padding ?? new long[] { 0 })}");
        table.Add<AvgPool3d>(m => $"kernel_size={AsGiven(m.kernel_size)}, stride={AsGiven(m.stride ?? m.kernel_size)}, padding={AsGiven(m.padding ?? new long[] { 0 })}");
        table.Add<AdaptiveAvgPool1d>(m => $"output_size={Int(m.output_size)}");
        table.Add<AdaptiveAvgPool2d>(m => AdaptiveRepr(m.output_size));
        table.Add<AdaptiveAvgPool3d>(m => AdaptiveRepr(m.output_size));
        table.Add<AdaptiveMaxPool1d>(m => $"output_size={Int(m.output_size)}");
        table.Add<AdaptiveMaxPool2d>(m => AdaptiveRepr(m.output_size));
        table.Add<AdaptiveMaxPool3d>(m => AdaptiveRepr(m.output_size));
        table.Add<LPPool1d>(m => $"norm_type={Number(m.norm_type)}, kernel_size={Int(m.kernel_size)}, stride={(m.stride is { } s ? Int(s) : "None")}, ceil_mode={Bool(m.ceil_mode)}");
        table.Add<LPPool2d>(m => $"norm_type={Number(m.norm_type)}, kernel_size={AsGiven(m.kernel_size)}, stride={(m.stride is { } s ? AsGiven(s) : "None")}, ceil_mode={Bool(m.ceil_mode)}");
        table.Add<FractionalMaxPool2d>(None); // PyTorch's FractionalMaxPool has no extra_repr
        table.Add<FractionalMaxPool3d>(None);
        // MaxUnpool normalizes its sizes to tuples (_single/_pair/_triple).
        table.Add<MaxUnpool1d>(m => $"kernel_size={Tuple(new[] { m.kernel_size })}, stride={Tuple(new[] { m.stride ?? m.kernel_size })}, padding={Tuple(new[] { m.padding ?? 0 })}");
        table.Add<MaxUnpool2d>(m => MaxUnpoolRepr(m.kernel_size, m.stride, m.padding));
        table.Add<MaxUnpool3d>(m => MaxUnpoolRepr(m.kernel_size, m.stride, m.padding));

        // Activations. Settings PyTorch defaults to a float print as floats (alpha=1.0); Softplus's and Threshold's,
        // whose defaults are ints or absent, print integral values as ints (beta=1, threshold=20).
        table.Add<ReLU>(m => Inplace(m.inplace));
        table.Add<ReLU6>(m => Inplace(m.inplace));
        table.Add<SELU>(m => Inplace(m.inplace));
        table.Add<SiLU>(m => Inplace(m.inplace));
        table.Add<Mish>(m => Inplace(m.inplace));
        table.Add<LeakyReLU>(m => $"negative_slope={Float(m.negative_slope)}{InplaceSuffix(m.inplace)}");
        table.Add<PReLU>(m => $"num_parameters={Int(m.num_parameters)}");
        table.Add<ELU>(m => $"alpha={Float(m.alpha)}{InplaceSuffix(m.inplace)}");
        table.Add<CELU>(m => $"alpha={Float(m.alpha)}{InplaceSuffix(m.inplace)}");
        table.Add<GELU>(m => $"approximate={Quote(m.approximate.ToString())}");
        table.Add<Hardtanh>(m => $"min_val={Float(m.min_val)}, max_val={Float(m.max_val)}{InplaceSuffix(m.inplace)}");
        table.Add<Hardshrink>(m => Float(m.lambda));
        table.Add<Softshrink>(m => Float(m.lambda));
        table.Add<Softplus>(m => $"beta={Number(m.beta)}, threshold={Number(m.threshold)}");
        table.Add<Threshold>(m => $"threshold={Number(m.threshold)}, value={Number(m.value)}{InplaceSuffix(m.inplace)}");
        table.Add<RReLU>(m => $"lower={Float(m.lower)}, upper={Float(m.upper)}{InplaceSuffix(m.inplace)}");
        table.Add<GLU>(m => $"dim={Int(m.dim)}");
        // PyTorch prints no settings for these (TorchSharp's inplace flags on some of them have no PyTorch counterpart).
        table.Add<Sigmoid>(None);
        table.Add<Tanh>(None);
        table.Add<Hardsigmoid>(None);
        table.Add<Hardswish>(None);
        table.Add<Softsign>(None);
        table.Add<Tanhshrink>(None);
        table.Add<LogSigmoid>(None);

        // Softmax family.
        table.Add<Softmax>(m => $"dim={Int(m.dim)}");
        table.Add<Softmin>(m => $"dim={Int(m.dim)}");
        table.Add<LogSoftmax>(m => $"dim={Int(m.dim)}");
        table.Add<Softmax2d>(None);

        // Dropout (PyTorch's _DropoutNd.extra_repr).
        table.Add<Dropout>(m => DropoutRepr(m.p, m.inplace));
        table.Add<Dropout1d>(m => DropoutRepr(m.p, m.inplace));
        table.Add<Dropout2d>(m => DropoutRepr(m.p, m.inplace));
        table.Add<Dropout3d>(m => DropoutRepr(m.p, m.inplace));
        table.Add<AlphaDropout>(m => DropoutRepr(m.p, m.inplace));
        table.Add<FeatureAlphaDropout>(m => DropoutRepr(m.p, m.inplace));

        // Normalization: BatchNorm and InstanceNorm share _NormBase.extra_repr.
        table.Add<NormBase>(m => $"{Int(m.num_features)}, eps={Float(m.eps)}, momentum={(m.momentum is { } mo ? Float(mo) : "None")}, " +
                                 $"affine={Bool(m.affine)}, track_running_stats={Bool(m.track_running_stats)}");
        table.Add<LayerNorm>(m => $"{Tuple(m.normalized_shape)}, eps={Float(m.eps)}, elementwise_affine={Bool(m.elementwise_affine)}");
        // TorchSharp keeps no num_channels: the affine weight has it; without one it cannot be known (docs/repr.md).
        table.Add<GroupNorm>(m => $"{Int(m.num_groups)}, {(m.affine ? Int(m.weight.shape[0]) : "?")}, eps={Float(m.eps)}, affine={Bool(m.affine)}");
        table.Add<LocalResponseNorm>(m => $"{Int(m.size)}, alpha={Float(m.alpha)}, beta={Float(m.beta)}, k={Float(m.k)}");

        // Padding: the constant pads name their settings; the others print the padding tuple alone.
        table.Add<ConstantPad1d>(m => $"padding={Tuple(m.padding)}, value={Number(m.value)}");
        table.Add<ConstantPad2d>(m => $"padding={Tuple(m.padding)}, value={Number(m.value)}");
        table.Add<ConstantPad3d>(m => $"padding={Tuple(m.padding)}, value={Number(m.value)}");
        table.Add<ReflectionPad1d>(m => Tuple(m.padding));
        table.Add<ReflectionPad2d>(m => Tuple(m.padding));
        table.Add<ReflectionPad3d>(m => Tuple(m.padding));
        table.Add<ReplicationPad1d>(m => Tuple(m.padding));
        table.Add<ReplicationPad2d>(m => Tuple(m.padding));
        table.Add<ReplicationPad3d>(m => Tuple(m.padding));
        table.Add<ZeroPad2d>(m => Tuple(m.padding));

        // Shape changes.
        table.Add<Upsample>(UpsampleRepr);
        table.Add<PixelShuffle>(m => $"upscale_factor={Int(m.upscale_factor)}");
        table.Add<PixelUnshuffle>(m => $"downscale_factor={Int(m.downscale_factor)}");
        table.Add<ChannelShuffle>(m => $"groups={Int(m.groups)}");
        table.Add<Flatten>(m => $"start_dim={Int(m.start_dim)}, end_dim={Int(m.end_dim)}");
        table.Add<Unflatten>(m => $"dim={Int(m.dim)}, unflattened_size={Tuple(m.unflattened_size)}");
        table.Add<Fold>(m => $"output_size={AsGiven(m.output_size)}, kernel_size={AsGiven(m.kernel_size)}, dilation={AsGiven(m.dilation)}, " +
                             $"padding={AsGiven(m.padding)}, stride={AsGiven(m.stride)}");
        table.Add<Unfold>(m => $"kernel_size={AsGiven(m.kernel_size)}, dilation={AsGiven(m.dilation)}, padding={AsGiven(m.padding)}, stride={AsGiven(m.stride)}");

        // Distances: PyTorch prints no settings.
        table.Add<CosineSimilarity>(None);
        table.Add<PairwiseDistance>(None);

        // Recurrent layers: native in TorchSharp, so their sizes are read from their weights.
        table.Add<LSTM>(m => Recurrent.Repr(m, gates: 4));
        table.Add<GRU>(m => Recurrent.Repr(m, gates: 3));
        table.Add<RNN>(m => Recurrent.Repr(m, gates: 1));
        table.Add<LSTMCell>(m => Recurrent.CellRepr(m.weight_ih, m.weight_hh, m.bias_ih));
        table.Add<GRUCell>(m => Recurrent.CellRepr(m.weight_ih, m.weight_hh, m.bias_ih));
        table.Add<RNNCell>(m => Recurrent.CellRepr(m.weight_ih, m.weight_hh, m.bias_ih));

        // Attention and transformers: native in TorchSharp, their children rebuilt from their parameters' names and shapes.
        table.Add(typeof(MultiheadAttention), new ReprEntry(None, m => Transformers.AttentionChildren(Transformers.Parameters(m), "")));
        table.Add(typeof(TransformerEncoderLayer), new ReprEntry(None, m => Transformers.EncoderLayerChildren(Transformers.Parameters(m), "")));
        table.Add(typeof(TransformerDecoderLayer), new ReprEntry(None, m => Transformers.DecoderLayerChildren(Transformers.Parameters(m), "")));
        table.Add(typeof(TransformerEncoder), new ReprEntry(None, m => Transformers.StackChildren(Transformers.Parameters(m), "", decoder: false)));
        table.Add(typeof(TransformerDecoder), new ReprEntry(None, m => Transformers.StackChildren(Transformers.Parameters(m), "", decoder: true)));
        table.Add(typeof(Transformer), new ReprEntry(None, m => Transformers.TransformerChildren(Transformers.Parameters(m))));

        // Losses: PyTorch's loss modules have no extra_repr, so one entry per TorchSharp loss base covers them all.
        // TripletMarginWithDistanceLoss is the exception: with no distance function PyTorch stores (and prints) a
        // PairwiseDistance child.
        table.Add(typeof(Loss<,,>), new ReprEntry(None));
        table.Add(typeof(Loss<,,,>), new ReprEntry(None));
        table.Add(typeof(Loss<,,,,>), new ReprEntry(None));
        table.Add(typeof(WeightedLoss<,,>), new ReprEntry(None));
        table.Add(typeof(TripletMarginWithDistanceLoss), new ReprEntry(None, m => HasCustomDistance(m)
            ? Array.Empty<(string, string)>()
            : new[] { ("distance_function", "PairwiseDistance()") }));

        return table.Entries;
    }

    private static string None(nn.Module module) => "";

    private static string Inplace(bool inplace) => inplace ? "inplace=True" : "";

    private static string InplaceSuffix(bool inplace) => inplace ? ", inplace=True" : "";

    private static string DropoutRepr(double p, bool inplace) => $"p={Float(p)}, inplace={Bool(inplace)}";

    // PyTorch's _ConvNd.extra_repr: the defaults are left out.
    private static string ConvolutionRepr(Convolution conv)
    {
        var text = new StringBuilder($"{Int(conv.in_channels)}, {Int(conv.out_channels)}, kernel_size={Tuple(conv.kernel_size)}, stride={Tuple(conv.stride)}");
        if (conv.padding_type is { } paddingType)
            text.Append(", padding=").Append(paddingType.ToString().ToLowerInvariant());
        else if (conv.padding is { } padding && padding.Any(p => p != 0))
            text.Append(", padding=").Append(Tuple(padding));
        if (conv.dilation is { } dilation && dilation.Any(d => d != 1))
            text.Append(", dilation=").Append(Tuple(dilation));
        if (conv.output_padding is { } outputPadding && outputPadding.Any(p => p != 0))
            text.Append(", output_padding=").Append(Tuple(outputPadding));
        if (conv.groups != 1)
            text.Append(", groups=").Append(Int(conv.groups));
        if (conv.bias is null)
            text.Append(", bias=False");
        if (conv.padding_mode != PaddingModes.Zeros)
            text.Append(", padding_mode=").Append(conv.padding_mode.ToString().ToLowerInvariant());
        return text.ToString();
    }

    // TorchSharp 0.107's AdaptiveMaxPool3d constructor drops its size (the property stays null, and so does what its
    // forward passes on); that prints as PyTorch prints a None size.
    private static string AdaptiveRepr(long[]? outputSize)
        => "output_size=" + (outputSize is { } size ? AsGiven(size) : "None");

    private static string MaxPoolRepr(long[] kernel, long[]? stride, long[]? padding, long[]? dilation, bool ceilMode)
        => $"kernel_size={AsGiven(kernel)}, stride={AsGiven(stride ?? kernel)}, padding={AsGiven(padding ?? new long[] { 0 })}, " +
           $"dilation={AsGiven(dilation ?? new long[] { 1 })}, ceil_mode={Bool(ceilMode)}";

    private static string MaxUnpoolRepr(long[] kernel, long[]? stride, long[]? padding)
        => $"kernel_size={Tuple(kernel)}, stride={Tuple(stride ?? kernel)}, padding={Tuple(padding ?? new long[kernel.Length])}";

    // PyTorch stores a scale factor as float(s) and a size as given (equal factors or sizes print once, as a Python
    // user writes them); the mode prints unquoted.
    private static string UpsampleRepr(Upsample m)
    {
        double[] factors = m.scale_factor.ToArray();
        long[] size = m.size.ToArray();
        string info = factors.Length > 0
            ? "scale_factor=" + (factors.All(f => f == factors[0]) ? Float(factors[0]) : Tuple(factors))
            : "size=" + (size.Length > 0 ? AsGiven(size) : "None");
        return info + ", mode=" + m.mode.ToString().ToLowerInvariant();
    }

    // ParameterList prints each dtype (torch.float32); ParameterDict its legacy type name (torch.FloatTensor).
    private static string ParameterLines(IEnumerable<(string Key, Parameter Value)> items, bool dict)
        => string.Join("\n", items.Select(item =>
        {
            var p = item.Value;
            string size = string.Join("x", p.shape.Select(Int));
            string device = p.device_type == DeviceType.CUDA ? $" (GPU {Int(p.device_index)})" : "";
            string type = dict ? LegacyTypeName(p) : "torch." + DTypeName(p.dtype);
            return $"  ({item.Key}): Parameter containing: [{type} of size {size}{device}]";
        }));

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    // torch.typename(tensor): the legacy tensor class name, with ".cuda" on a GPU.
    private static string LegacyTypeName(Tensor p)
    {
        string name = p.dtype switch
        {
            ScalarType.Float32 => "FloatTensor",
            ScalarType.Float64 => "DoubleTensor",
            ScalarType.Float16 => "HalfTensor",
            ScalarType.BFloat16 => "BFloat16Tensor",
            ScalarType.Int64 => "LongTensor",
            ScalarType.Int32 => "IntTensor",
            ScalarType.Int16 => "ShortTensor",
            ScalarType.Int8 => "CharTensor",
            ScalarType.Byte => "ByteTensor",
            ScalarType.Bool => "BoolTensor",
            ScalarType.ComplexFloat32 => "ComplexFloatTensor",
            ScalarType.ComplexFloat64 => "ComplexDoubleTensor",
            _ => p.dtype + "Tensor",
        };
        return p.device_type == DeviceType.CUDA ? "torch.cuda." + name : "torch." + name;
    }

    private static readonly PropertyInfo? DistanceProperty =
        typeof(TripletMarginWithDistanceLoss).GetProperty("distance", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    // TorchSharp keeps the distance function only as a native callback, null when none was given.
    private static bool HasCustomDistance(nn.Module loss)
        => DistanceProperty?.GetValue(loss) is not null;

    /// <summary>Builds the table; each type is added once.</summary>
    private sealed class Table
    {
        public Dictionary<Type, ReprEntry> Entries { get; } = new();

        public void Add<T>(Func<T, string> extra) where T : nn.Module
            => Add(typeof(T), new ReprEntry(module => extra((T)module)));

        public void Add(Type type, ReprEntry entry) => Entries.Add(type, entry);
    }
}
