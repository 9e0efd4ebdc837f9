using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Tests.Module;

/// <summary>
/// The blocks that reference/repr_golden.py printed with PyTorch: reprs, parameter names and shapes, state_dict keys.
/// </summary>
internal static class PyTorchReference
{
    private static readonly Lazy<Dictionary<string, string>> Blocks = new(() => Parse(File.ReadAllText(GoldenPath())));

    /// <summary>The block printed after <c>### name</c>, without its trailing newline.</summary>
    public static string Block(string name)
        => Blocks.Value.TryGetValue(name, out var text) ? text : throw new KeyError(name);

    /// <summary>The names of every block, in file order.</summary>
    public static IReadOnlyCollection<string> BlockNames() => Blocks.Value.Keys;

    /// <summary>The lines of a block.</summary>
    public static string[] Lines(string name) => Block(name).Split('\n');

    /// <summary>A module's parameters in the golden file's notation: <c>l1.weight [50, 784]</c>.</summary>
    public static string[] NamedParameters(nn.Module module)
        => module.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").ToArray();

    private static Dictionary<string, string> Parse(string text)
    {
        var blocks = new Dictionary<string, string>();
        string? name = null;
        var lines = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Append("### <end>"))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal))
                continue;
            if (!line.StartsWith("### ", StringComparison.Ordinal))
            {
                lines.Add(line);
                continue;
            }
            if (name is not null)
                blocks[name] = string.Join("\n", lines);
            name = line.Substring(4);
            lines.Clear();
        }
        return blocks;
    }

    private static string GoldenPath([CallerFilePath] string source = "")
        => Path.Combine(Path.GetDirectoryName(source)!, "reference", "repr_golden.txt");

    private sealed class KeyError(string name) : Exception($"reference/repr_golden.txt has no block '### {name}'; rerun repr_golden.py.");
}
