using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenNet.Modules;

/// <summary>
/// PyTorch's <c>repr(module)</c> for any TorchSharp module: the indented tree of <c>(name): child</c> lines, with the
/// one-line configuration of common built-ins printed exactly as PyTorch prints it, e.g.
/// <c>Linear(in_features=784, out_features=50, bias=True)</c>. TorchSharp modules print only their CLR type name.
/// </summary>
/// <remarks>
/// Built-ins with their configuration: Linear, Conv1d/2d/3d (and transposed), ReLU, GELU, Sigmoid, Tanh, Dropout,
/// BatchNorm1d/2d/3d, LayerNorm, Flatten, Embedding, MaxPool2d, AvgPool2d; containers Sequential, ModuleList and
/// ModuleDict. Other TorchSharp built-ins print their class name and children; other modules print
/// <see cref="nn.Module.GetName"/>, or what they say through <see cref="IModuleRepr"/>. Where TorchSharp does not keep a
/// setting PyTorch prints, the repr shows what TorchSharp keeps: Embedding prints only its size, and pooling sizes print
/// as one number when all dimensions agree (PyTorch echoes <c>2</c> or <c>(2, 2)</c> as the user wrote it).
/// </remarks>
public static class ModuleRepr
{
    private static readonly Assembly TorchSharpAssembly = typeof(nn.Module).Assembly;

    /// <summary>The module as PyTorch prints it: <c>print(model)</c>.</summary>
    /// <param name="module">Any TorchSharp module.</param>
    /// <returns>The repr; multi-line when the module has children.</returns>
    public static string Repr(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        string name = ReprName(module);
        var children = Children(module);
        if (IsGeneric(module, typeof(ModuleList<>)))
            return ListRepr(name, children);

        var lines = new List<string>();
        string extra = ExtraRepr(module);
        if (extra.Length > 0)
            lines.AddRange(extra.Split('\n'));
        int extraLines = lines.Count;
        foreach (var (key, child) in children)
            lines.Add($"({key}): {AddIndent(Repr(child), 2)}");

        if (lines.Count == 0)
            return name + "()";
        if (extraLines == 1 && children.Count == 0)
            return $"{name}({lines[0]})";
        return $"{name}(\n  {string.Join("\n  ", lines)}\n)";
    }

    /// <summary>The name a module's repr starts with (PyTorch's <c>_get_name()</c>).</summary>
    /// <param name="module">Any TorchSharp module.</param>
    /// <returns>The <see cref="IModuleRepr.ReprName"/> of a module that declares one, the class name of a TorchSharp
    /// built-in (which matches PyTorch's), otherwise <see cref="nn.Module.GetName"/>.</returns>
    public static string ReprName(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is IModuleRepr own)
            return own.ReprName;
        var type = module.GetType();
        if (type.Assembly == TorchSharpAssembly)
        {
            int tick = type.Name.IndexOf('`');
            return tick < 0 ? type.Name : type.Name.Substring(0, tick);
        }
        return module.GetName();
    }

    /// <summary>The configuration a module prints inside its parenthesis (PyTorch's <c>extra_repr()</c>).</summary>
    /// <param name="module">Any TorchSharp module.</param>
    /// <returns>The text, or an empty string when the module prints none.</returns>
    public static string ExtraRepr(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module switch
        {
            IModuleRepr own => own.ExtraRepr(),
            Linear linear => $"in_features={linear.in_features}, out_features={linear.out_features}, bias={Bool(linear.bias is not null)}",
            Convolution conv => ConvolutionRepr(conv),
            ReLU relu => relu.inplace ? "inplace=True" : "",
            GELU gelu => $"approximate='{gelu.approximate}'",
            Dropout dropout => $"p={Float(dropout.p)}, inplace={Bool(dropout.inplace)}",
            BatchNorm norm => $"{norm.num_features}, eps={Float(norm.eps)}, momentum={(norm.momentum is { } m ? Float(m) : "None")}, " +
                              $"affine={Bool(norm.affine)}, track_running_stats={Bool(norm.track_running_stats)}",
            LayerNorm norm => $"{Tuple(norm.normalized_shape)}, eps={Float(norm.eps)}, elementwise_affine={Bool(norm.elementwise_affine)}",
            Flatten flatten => $"start_dim={flatten.start_dim}, end_dim={flatten.end_dim}",
            Embedding { weight: { } weight } => $"{weight.shape[0]}, {weight.shape[1]}",
            MaxPool2d pool => $"kernel_size={Size(pool.kernel_size)}, stride={Size(pool.stride ?? pool.kernel_size)}, " +
                              $"padding={Size(pool.padding, 0)}, dilation={Size(pool.dilation, 1)}, ceil_mode={Bool(pool.ceil_mode)}",
            AvgPool2d pool => $"kernel_size={Size(pool.kernel_size)}, stride={Size(pool.stride ?? pool.kernel_size)}, padding={Size(pool.padding, 0)}",
            _ => "",
        };
    }

    // PyTorch's _ConvNd.extra_repr: the defaults are left out.
    private static string ConvolutionRepr(Convolution conv)
    {
        var text = new StringBuilder($"{conv.in_channels}, {conv.out_channels}, kernel_size={Tuple(conv.kernel_size)}, stride={Tuple(conv.stride)}");
        if (conv.padding_type is { } paddingType)
            text.Append(", padding=").Append(paddingType.ToString().ToLowerInvariant());
        else if (conv.padding is { } padding && padding.Any(p => p != 0))
            text.Append(", padding=").Append(Tuple(padding));
        if (conv.dilation is { } dilation && dilation.Any(d => d != 1))
            text.Append(", dilation=").Append(Tuple(dilation));
        if (conv.output_padding is { } outputPadding && outputPadding.Any(p => p != 0))
            text.Append(", output_padding=").Append(Tuple(outputPadding));
        if (conv.groups != 1)
            text.Append(", groups=").Append(conv.groups);
        if (conv.bias is null)
            text.Append(", bias=False");
        if (conv.padding_mode != PaddingModes.Zeros)
            text.Append(", padding_mode=").Append(conv.padding_mode.ToString().ToLowerInvariant());
        return text.ToString();
    }

    // PyTorch 2's ModuleList.__repr__: runs of identical children print once, as "(0-2): 3 x Linear(...)".
    private static string ListRepr(string name, IReadOnlyList<(string Key, nn.Module Module)> children)
    {
        if (children.Count == 0)
            return name + "()";
        var lines = new List<string>();
        int start = 0;
        string block = Repr(children[0].Module);
        for (int i = 1; i <= children.Count; i++)
        {
            string? next = i < children.Count ? Repr(children[i].Module) : null;
            if (next == block)
                continue;
            int end = i - 1;
            string line = start == end ? $"({start}): {block}" : $"({start}-{end}): {end - start + 1} x {block}";
            lines.Add(AddIndent(line, 2));
            start = i;
            block = next!;
        }
        return $"{name}(\n  {string.Join("\n  ", lines)}\n)";
    }

    private static IReadOnlyList<(string Key, nn.Module Module)> Children(nn.Module module)
    {
        // A container lists its items before a parent has registered them (TorchSharp registers them only then).
        if (IsGeneric(module, typeof(ModuleList<>)) && module is IEnumerable<nn.Module> list)
            return list.Select((child, i) => (i.ToString(CultureInfo.InvariantCulture), child)).ToList();
        if (IsGeneric(module, typeof(ModuleDict<>)))
            return (IReadOnlyList<(string, nn.Module)>)DictItemsMethod.MakeGenericMethod(module.GetType().GetGenericArguments()).Invoke(null, new object[] { module })!;
        return module.named_children().ToList();
    }

    private static readonly MethodInfo DictItemsMethod =
        typeof(ModuleRepr).GetMethod(nameof(DictItems), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static IReadOnlyList<(string, nn.Module)> DictItems<T>(ModuleDict<T> dict) where T : nn.Module
        => ((IList<(string Key, T Value)>)dict).Select(item => (item.Key, (nn.Module)item.Value)).ToList();

    private static bool IsGeneric(nn.Module module, Type definition)
        => module.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == definition;

    // PyTorch's _addindent: every line but the first moves right.
    private static string AddIndent(string text, int spaces)
        => text.Replace("\n", "\n" + new string(' ', spaces));

    private static string Bool(bool value) => value ? "True" : "False";

    private static string Tuple(IReadOnlyList<long> values)
        => values.Count == 1 ? $"({values[0]},)" : "(" + string.Join(", ", values) + ")";

    private static string Size(long[]? values, long whenMissing = 0)
    {
        if (values is null || values.Length == 0)
            return whenMissing.ToString(CultureInfo.InvariantCulture);
        return values.All(v => v == values[0]) ? values[0].ToString(CultureInfo.InvariantCulture) : Tuple(values);
    }

    /// <summary>A number as Python's <c>repr(float)</c> writes it: <c>0.1</c>, <c>1e-05</c>, <c>1.0</c>, <c>1e+16</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The shortest text that reads back as <paramref name="value"/>, in Python's notation.</returns>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = shortest.IndexOfAny(new[] { 'E', 'e' });
        if (e >= 0)
        {
            exponent = int.Parse(shortest.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            shortest = shortest.Substring(0, e);
        }
        int dot = shortest.IndexOf('.');
        string whole = dot < 0 ? shortest : shortest.Substring(0, dot);
        string digits = whole + (dot < 0 ? "" : shortest.Substring(dot + 1));
        // value = 0.DIGITS × 10^point, as in Python's float formatting.
        int point = whole.Length + exponent;
        int leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Substring(leading).TrimEnd('0');
        point -= leading;
        if (digits.Length == 0)
            return sign + "0.0";
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
                return sign + "0." + new string('0', -point) + digits;
            if (point >= digits.Length)
                return sign + digits + new string('0', point - digits.Length) + ".0";
            return sign + digits.Substring(0, point) + "." + digits.Substring(point);
        }
        int power = point - 1;
        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits.Substring(1);
        return $"{sign}{mantissa}e{(power < 0 ? "-" : "+")}{Math.Abs(power):00}";
    }
}
