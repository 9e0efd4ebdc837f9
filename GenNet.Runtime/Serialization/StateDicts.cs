using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace GenNet.Serialization;

/// <summary>A state_dict entry whose shape differs between the file and the model.</summary>
/// <param name="Key">The state_dict key.</param>
/// <param name="SourceShape">The shape in the file (or source dictionary).</param>
/// <param name="ModelShape">The shape in the model.</param>
public sealed record ShapeMismatch(string Key, long[] SourceShape, long[] ModelShape)
{
    /// <summary>PyTorch's wording, with GenNet's shape notation.</summary>
    public override string ToString() =>
        $"size mismatch for '{Key}': copying a param with shape [{string.Join(", ", SourceShape)}] from checkpoint, the shape in current model is [{string.Join(", ", ModelShape)}].";
}

/// <summary>
/// What did not fit when loading a state_dict, as PyTorch's <c>_IncompatibleKeys</c> (plus the shape mismatches that
/// PyTorch reports as errors): keys the model has and the source lacks, keys the source has and the model lacks.
/// </summary>
public sealed class IncompatibleKeys
{
    /// <summary>Creates a report.</summary>
    /// <param name="missingKeys">Keys of the model absent from the source.</param>
    /// <param name="unexpectedKeys">Keys of the source absent from the model.</param>
    /// <param name="shapeMismatches">Keys in both whose shapes differ (not loaded).</param>
    public IncompatibleKeys(IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<ShapeMismatch> shapeMismatches)
    {
        MissingKeys = missingKeys ?? throw new ArgumentNullException(nameof(missingKeys));
        UnexpectedKeys = unexpectedKeys ?? throw new ArgumentNullException(nameof(unexpectedKeys));
        ShapeMismatches = shapeMismatches ?? throw new ArgumentNullException(nameof(shapeMismatches));
    }

    /// <summary>Keys of the model that the source did not have (left unchanged).</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys of the source that the model does not have (ignored).</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>Keys whose shapes differ (left unchanged).</summary>
    public IReadOnlyList<ShapeMismatch> ShapeMismatches { get; }

    /// <summary>Whether every key matched.</summary>
    public bool AllMatched => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>PyTorch's error text: one line per kind of problem.</summary>
    /// <param name="moduleName">The model's type name, as in "Error(s) in loading state_dict for Mlp".</param>
    /// <param name="source">Where the state came from (a file path), or null.</param>
    public string Describe(string moduleName, string? source)
    {
        var text = new StringBuilder($"Error(s) in loading state_dict for {moduleName}{(source is null ? "" : $" from '{source}'")}:");
        if (MissingKeys.Count > 0)
            text.Append("\n\tMissing key(s) in state_dict: ").Append(string.Join(", ", MissingKeys.Select(k => $"'{k}'"))).Append('.');
        if (UnexpectedKeys.Count > 0)
            text.Append("\n\tUnexpected key(s) in state_dict: ").Append(string.Join(", ", UnexpectedKeys.Select(k => $"'{k}'"))).Append('.');
        foreach (var mismatch in ShapeMismatches)
            text.Append("\n\t").Append(mismatch);
        return text.ToString();
    }

    /// <summary>PyTorch's repr: <c>&lt;All keys matched successfully&gt;</c> or the lists.</summary>
    public override string ToString() => AllMatched
        ? "<All keys matched successfully>"
        : $"_IncompatibleKeys(missing_keys=[{string.Join(", ", MissingKeys.Select(k => $"'{k}'"))}], unexpected_keys=[{string.Join(", ", UnexpectedKeys.Select(k => $"'{k}'"))}]"
          + (ShapeMismatches.Count == 0 ? ")" : $", shape_mismatches=[{string.Join(", ", ShapeMismatches.Select(m => $"'{m.Key}'"))}])");
}

/// <summary>A strict state_dict load found missing, unexpected or differently shaped entries; nothing was changed.</summary>
public sealed class StateDictMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Every problem, one per line.</param>
    /// <param name="report">The structured report.</param>
    public StateDictMismatchException(string message, IncompatibleKeys report) : base(message) => Report = report;

    /// <summary>The structured report.</summary>
    public IncompatibleKeys Report { get; }
}

/// <summary>
/// Loading and saving a module's state_dict (parameters and persistent buffers) under the keys PyTorch uses, to and
/// from safetensors and PyTorch <c>.pt</c> files.
/// </summary>
public static class StateDictExtensions
{
    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="module"/>'s parameters and buffers, as PyTorch's
    /// <c>load_state_dict</c>: every key is checked first, so a strict load that fails changes nothing; values are
    /// copied into the existing tensors (converting dtype and device, so the state lands where the model is).
    /// </summary>
    /// <param name="module">The model.</param>
    /// <param name="source">Named tensors, e.g. from <see cref="SafeTensors.Load(string)"/>.</param>
    /// <param name="strict">Fail on any missing, unexpected or mismatched key (PyTorch's default); otherwise load
    /// what fits and return the rest.</param>
    /// <param name="sourceName">Where the tensors came from, for the error message.</param>
    /// <returns>What did not fit (empty after a successful strict load).</returns>
    /// <exception cref="StateDictMismatchException">Strict, and something did not fit; the message lists all of it.</exception>
    public static IncompatibleKeys LoadStateDict(this nn.Module module, IReadOnlyDictionary<string, Tensor> source, bool strict = true, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(source);
        var target = module.state_dict();
        var report = Compare(target, source);
        if (strict && !report.AllMatched)
            throw new StateDictMismatchException(report.Describe(module.GetType().Name, sourceName), report);
        using var scope = NewDisposeScope();
        using (no_grad())
            foreach (var (key, tensor) in target)
                if (source.TryGetValue(key, out var value) && value.shape.SequenceEqual(tensor.shape))
                    tensor.copy_(value);
        return report;
    }

    /// <summary>What loading <paramref name="source"/> into <paramref name="module"/> would not fit, without loading it.</summary>
    /// <param name="module">The model.</param>
    /// <param name="source">Named tensors.</param>
    public static IncompatibleKeys Compare(nn.Module module, IReadOnlyDictionary<string, Tensor> source)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(source);
        return Compare(module.state_dict(), source);
    }

    private static IncompatibleKeys Compare(Dictionary<string, Tensor> target, IReadOnlyDictionary<string, Tensor> source)
    {
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var mismatches = target.Where(t => source.TryGetValue(t.Key, out var s) && !s.shape.SequenceEqual(t.Value.shape))
            .Select(t => new ShapeMismatch(t.Key, source[t.Key].shape, t.Value.shape)).ToList();
        return new IncompatibleKeys(missing, unexpected, mismatches);
    }

    /// <summary>Writes the module's state_dict as a safetensors file that Python loads with <c>strict=True</c>.</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The file (conventionally <c>model.safetensors</c>).</param>
    /// <param name="metadata">Optional <c>__metadata__</c> pairs.</param>
    public static void SaveSafeTensors(this nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.state_dict(), metadata);
    }

    /// <summary>Loads a safetensors file (e.g. written by Python) into the module.</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The file.</param>
    /// <param name="strict">See <see cref="LoadStateDict"/>.</param>
    /// <exception cref="InvalidDataException">Not a valid safetensors file.</exception>
    /// <exception cref="StateDictMismatchException">Strict, and the file does not fit the model.</exception>
    public static IncompatibleKeys LoadSafeTensors(this nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = SafeTensors.Load(path);
        try
        {
            return module.LoadStateDict(tensors, strict, Path.GetFullPath(path));
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Writes the module's state_dict as PyTorch's <c>torch.save(model.state_dict(), path)</c> does.</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The file (conventionally <c>.pt</c> or <c>.pth</c>).</param>
    public static void SavePyTorch(this nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        PyTorchFiles.Save(path, module.state_dict());
    }

    /// <summary>Loads a PyTorch state_dict file (from <c>torch.save(model.state_dict(), path)</c>) into the module.</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">The file.</param>
    /// <param name="strict">See <see cref="LoadStateDict"/>.</param>
    /// <param name="key">For a checkpoint that is a dictionary holding the state_dict (e.g. <c>{"model": sd, ...}</c>), its key.</param>
    /// <exception cref="InvalidDataException">Not a PyTorch state_dict file, or one that needs a disallowed global.</exception>
    /// <exception cref="StateDictMismatchException">Strict, and the file does not fit the model.</exception>
    public static IncompatibleKeys LoadPyTorch(this nn.Module module, string path, bool strict = true, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = PyTorchFiles.Load(path, key);
        try
        {
            return module.LoadStateDict(tensors, strict, Path.GetFullPath(path));
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }
}
