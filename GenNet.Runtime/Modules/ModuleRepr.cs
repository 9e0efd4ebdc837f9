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
/// PyTorch's <c>repr(module)</c> for any TorchSharp module: the indented tree of <c>(name): child</c> lines, with each
/// built-in layer's configuration printed exactly as PyTorch's <c>extra_repr</c> prints it, e.g.
/// <c>Linear(in_features=784, out_features=50, bias=True)</c>. (TorchSharp modules print only their CLR type name.)
/// </summary>
/// <remarks>
/// Every module type in <c>TorchSharp.Modules</c> with a PyTorch counterpart has one entry in <c>BuiltInReprs</c>
/// (convolutions, pooling, activations, dropout, normalization, padding, upsampling, recurrent and transformer layers,
/// losses, containers). A <c>ModuleList</c> folds runs of identical children as PyTorch 2 does
/// (<c>(0-2): 3 x Linear(...)</c>). Other modules print <see cref="nn.Module.GetName"/> and their children, or what they
/// say through <see cref="IModuleRepr"/>. Where TorchSharp does not keep a setting, it is read from the module's
/// parameters when they tell it; the few that nothing tells are listed in docs/repr.md.
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
        var entry = module is IModuleRepr ? null : BuiltInReprs.Find(module.GetType());
        var children = entry?.Children?.Invoke(module)
                       ?? Children(module).Select(c => (c.Key, Repr(c.Module))).ToList();
        if (entry?.FoldsRepeatedChildren == true)
            return FormatList(name, children.Select(c => c.Item2).ToList());
        return Format(name, ExtraRepr(module), children);
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
        if (module is IModuleRepr own)
            return own.ExtraRepr();
        return BuiltInReprs.Find(module.GetType())?.Extra(module) ?? "";
    }

    /// <summary>Whether <paramref name="type"/> (or a base type) has a built-in entry, i.e. prints its PyTorch configuration.</summary>
    /// <param name="type">A TorchSharp module type.</param>
    /// <returns>True when <see cref="Repr"/> knows how PyTorch prints the type.</returns>
    public static bool HasBuiltInEntry(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return BuiltInReprs.Find(type) is not null;
    }

    /// <summary>PyTorch's <c>Module.__repr__</c>: the extra lines, then one <c>(key): child</c> line per child.</summary>
    internal static string Format(string name, string extra, IReadOnlyList<(string Key, string Repr)> children)
    {
        var lines = new List<string>();
        if (extra.Length > 0)
            lines.AddRange(extra.Split('\n'));
        int extraLines = lines.Count;
        foreach (var (key, child) in children)
            lines.Add($"({key}): {AddIndent(child, 2)}");

        if (lines.Count == 0)
            return name + "()";
        if (extraLines == 1 && children.Count == 0)
            return $"{name}({lines[0]})";
        return $"{name}(\n  {string.Join("\n  ", lines)}\n)";
    }

    // PyTorch 2's ModuleList.__repr__: runs of identical children print once, as "(0-2): 3 x Linear(...)".
    internal static string FormatList(string name, IReadOnlyList<string> children)
    {
        if (children.Count == 0)
            return name + "()";
        var lines = new List<string>();
        int start = 0;
        for (int i = 1; i <= children.Count; i++)
        {
            if (i < children.Count && children[i] == children[start])
                continue;
            int end = i - 1;
            string line = start == end ? $"({start}): {children[start]}" : $"({start}-{end}): {end - start + 1} x {children[start]}";
            lines.Add(AddIndent(line, 2));
            start = i;
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

    /// <summary>A number as Python's <c>repr(float)</c> writes it: <c>0.1</c>, <c>1e-05</c>, <c>1.0</c>, <c>1e+16</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The shortest text that reads back as <paramref name="value"/>, in Python's notation.</returns>
    public static string Float(double value) => PyFormat.Float(value);
}
