using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static GenNet.Modules.PyFormat;
using static TorchSharp.torch;

namespace GenNet.Modules;

/// <summary>
/// The recurrent layers' reprs. TorchSharp's LSTM, GRU and RNN are native modules that keep their settings in libtorch;
/// their parameters (<c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>, …) tell the sizes, the layer count, the bias and
/// the direction, and a private field tells <c>batch_first</c>. Dropout and RNN's nonlinearity cannot be read back
/// (PyTorch prints dropout only when it is not 0; docs/repr.md).
/// </summary>
internal static class Recurrent
{
    private static readonly Regex LayerWeight = new(@"^weight_ih_l(\d+)$", RegexOptions.Compiled);

    /// <summary>PyTorch's RNNBase.extra_repr for a module with <paramref name="gates"/> gates (LSTM 4, GRU 3, RNN 1).</summary>
    public static string Repr(nn.Module module, int gates)
    {
        var shapes = module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        if (!shapes.TryGetValue("weight_ih_l0", out var inputWeight))
            return "";
        long hidden = inputWeight[0] / gates;
        int layers = shapes.Keys.Count(name => LayerWeight.IsMatch(name));
        var text = new StringBuilder($"{Int(inputWeight[1])}, {Int(hidden)}");
        if (shapes.TryGetValue("weight_hr_l0", out var projection))
            text.Append(", proj_size=").Append(Int(projection[0]));
        if (layers != 1)
            text.Append(", num_layers=").Append(Int(layers));
        if (!shapes.ContainsKey("bias_ih_l0"))
            text.Append(", bias=False");
        if (BatchFirst(module))
            text.Append(", batch_first=True");
        if (shapes.ContainsKey("weight_ih_l0_reverse"))
            text.Append(", bidirectional=True");
        return text.ToString();
    }

    /// <summary>PyTorch's RNNCellBase.extra_repr: sizes from the weights, <c>bias=False</c> when there is none.</summary>
    public static string CellRepr(Tensor? weightIh, Tensor? weightHh, Tensor? biasIh)
        => weightIh is null || weightHh is null
            ? ""
            : $"{Int(weightIh.shape[1])}, {Int(weightHh.shape[1])}" + (biasIh is null ? ", bias=False" : "");

    // LSTM, GRU and RNN keep batch_first in a private field of that name (TorchSharp 0.107); without it, the default.
    private static bool BatchFirst(nn.Module module)
        => module.GetType().GetField("_batch_first", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(module) is true;
}

/// <summary>
/// MultiheadAttention and the transformer layers as PyTorch prints them. TorchSharp builds them natively and exposes no
/// children, but their parameters keep libtorch's names (<c>layers.0.self_attn.out_proj.weight</c>), which give the
/// tree and its sizes. The dropout probability and the layer norms' eps live only in libtorch: they print as PyTorch's
/// defaults, 0.1 and 1e-05 (docs/repr.md).
/// </summary>
internal static class Transformers
{
    private const string DefaultDropout = "Dropout(p=0.1, inplace=False)";

    /// <summary>The module's parameter shapes by name.</summary>
    public static IReadOnlyDictionary<string, long[]> Parameters(nn.Module module)
        => module.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

    public static IReadOnlyList<(string, string)> AttentionChildren(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        if (!p.TryGetValue(prefix + "out_proj.weight", out var weight))
            return Array.Empty<(string, string)>();
        string bias = Bool(p.ContainsKey(prefix + "out_proj.bias"));
        return new[] { ("out_proj", $"NonDynamicallyQuantizableLinear(in_features={Int(weight[1])}, out_features={Int(weight[0])}, bias={bias})") };
    }

    public static IReadOnlyList<(string, string)> EncoderLayerChildren(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        var children = new List<(string, string)> { ("self_attn", Attention(p, prefix + "self_attn.")) };
        children.AddRange(FeedForward(p, prefix));
        children.Add(("norm1", Norm(p, prefix + "norm1.")));
        children.Add(("norm2", Norm(p, prefix + "norm2.")));
        children.Add(("dropout1", DefaultDropout));
        children.Add(("dropout2", DefaultDropout));
        return children;
    }

    public static IReadOnlyList<(string, string)> DecoderLayerChildren(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        var children = new List<(string, string)>
        {
            ("self_attn", Attention(p, prefix + "self_attn.")),
            ("multihead_attn", Attention(p, prefix + "multihead_attn.")),
        };
        children.AddRange(FeedForward(p, prefix));
        children.Add(("norm1", Norm(p, prefix + "norm1.")));
        children.Add(("norm2", Norm(p, prefix + "norm2.")));
        children.Add(("norm3", Norm(p, prefix + "norm3.")));
        children.Add(("dropout1", DefaultDropout));
        children.Add(("dropout2", DefaultDropout));
        children.Add(("dropout3", DefaultDropout));
        return children;
    }

    /// <summary>TransformerEncoder/Decoder: <c>(layers): ModuleList(...)</c>, then <c>(norm)</c> when it has one.</summary>
    public static IReadOnlyList<(string, string)> StackChildren(IReadOnlyDictionary<string, long[]> p, string prefix, bool decoder)
    {
        var layers = new List<string>();
        for (int i = 0; p.Keys.Any(k => k.StartsWith($"{prefix}layers.{i}.", StringComparison.Ordinal)); i++)
        {
            string layerPrefix = $"{prefix}layers.{i}.";
            layers.Add(decoder
                ? ModuleRepr.Format("TransformerDecoderLayer", "", DecoderLayerChildren(p, layerPrefix))
                : ModuleRepr.Format("TransformerEncoderLayer", "", EncoderLayerChildren(p, layerPrefix)));
        }
        var children = new List<(string, string)> { ("layers", ModuleRepr.FormatList("ModuleList", layers)) };
        if (p.ContainsKey(prefix + "norm.weight") || p.ContainsKey(prefix + "norm.bias"))
            children.Add(("norm", Norm(p, prefix + "norm.")));
        return children;
    }

    public static IReadOnlyList<(string, string)> TransformerChildren(IReadOnlyDictionary<string, long[]> p)
        => new[]
        {
            ("encoder", ModuleRepr.Format("TransformerEncoder", "", StackChildren(p, "encoder.", decoder: false))),
            ("decoder", ModuleRepr.Format("TransformerDecoder", "", StackChildren(p, "decoder.", decoder: true))),
        };

    private static string Attention(IReadOnlyDictionary<string, long[]> p, string prefix)
        => ModuleRepr.Format("MultiheadAttention", "", AttentionChildren(p, prefix));

    private static IEnumerable<(string, string)> FeedForward(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        yield return ("linear1", Linear(p, prefix + "linear1."));
        yield return ("dropout", DefaultDropout);
        yield return ("linear2", Linear(p, prefix + "linear2."));
    }

    private static string Linear(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        var weight = p[prefix + "weight"];
        return $"Linear(in_features={Int(weight[1])}, out_features={Int(weight[0])}, bias={Bool(p.ContainsKey(prefix + "bias"))})";
    }

    private static string Norm(IReadOnlyDictionary<string, long[]> p, string prefix)
    {
        bool affine = p.TryGetValue(prefix + "weight", out var weight);
        string shape = affine ? Tuple(weight!) : "(?,)";
        return $"LayerNorm({shape}, eps=1e-05, elementwise_affine={Bool(affine)})";
    }
}
