using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using GenNet.Optim;
using GenNet.Serialization;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>Where training stood when a checkpoint was saved.</summary>
/// <param name="Epoch">The epoch in progress or next to run, from 0 (after a whole epoch e: e + 1).</param>
/// <param name="Batch">Training batches of <paramref name="Epoch"/> already done (0 at an epoch boundary).</param>
/// <param name="Step">Optimizer steps taken so far.</param>
public sealed record TrainingPosition(int Epoch, int Batch, long Step);

/// <summary>
/// Saves and loads a model's state dict and, optionally, its optimizer's state, the training position and the random
/// generator's state in one file, so that training resumes exactly where it stopped. The file is safetensors: model
/// entries are named <c>model.&lt;state_dict key&gt;</c>, optimizer entries <c>optimizer.&lt;key&gt;</c>, and the position
/// is in the metadata, so Python can read it too. Saving is atomic: the file is written under a temporary name in the
/// same folder, flushed to disk, then renamed over the target, so a crash leaves either the old checkpoint or the new
/// one, never a torn file. Loading reads and checks everything before changing the model: missing, unexpected or
/// differently shaped entries fail with one message naming them all. Checkpoints in GenNet's first format
/// (<c>GNCKPT01</c>) still load.
/// </summary>
public static class Checkpoint
{
    /// <summary>The metadata value of <c>format</c> that marks a GenNet checkpoint.</summary>
    public const string FormatName = "gennet-checkpoint";

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";
    private const string RandomStateKey = "rng.cpu";
    private static readonly byte[] LegacyMagic = "GNCKPT01"u8.ToArray();

    /// <summary>Writes <paramref name="model"/>'s state (and <paramref name="optimizer"/>'s, and the position) to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The checkpoint file (conventionally <c>checkpoint.safetensors</c>); its folder is created if needed.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">The optimizer, or <c>null</c>.</param>
    /// <param name="position">Where training stands, or <c>null</c>.</param>
    public static void Save(string path, nn.Module model, Optimizer? optimizer = null, TrainingPosition? position = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (key, value) in model.state_dict())
            tensors.Add(new(ModelPrefix + key, value));
        if (optimizer is not null)
            foreach (var (key, value) in optimizer.StateDict())
                tensors.Add(new(OptimizerPrefix + key, value));
        // The CPU generator drives shuffling and dropout; saving it makes a resumed run draw what the original would have.
        tensors.Add(new(RandomStateKey, Generator.Default.get_state()));
        var metadata = new Dictionary<string, string> { ["format"] = FormatName, ["version"] = "1" };
        if (optimizer is not null)
            metadata["optimizer"] = optimizer.GetType().Name;
        if (position is not null)
        {
            metadata["epoch"] = position.Epoch.ToString(CultureInfo.InvariantCulture);
            metadata["batch"] = position.Batch.ToString(CultureInfo.InvariantCulture);
            metadata["step"] = position.Step.ToString(CultureInfo.InvariantCulture);
        }
        SafeTensors.Save(path, tensors, metadata, durable: true);
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/> into <paramref name="model"/> (and <paramref name="optimizer"/>).</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">A model of the same architecture; the state lands on the device the model is on.</param>
    /// <param name="optimizer">An optimizer of the same kind over the model, or <c>null</c> to skip optimizer state.</param>
    /// <param name="restoreRandomState">Also restore the CPU random generator saved with the checkpoint, so that a
    /// resumed run shuffles and drops out exactly as the original would have.</param>
    /// <returns>The saved training position, or <c>null</c> when none was saved.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a GenNet checkpoint, or truncated; the message names the file.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint does not fit the model (message names every
    /// mismatched entry; <see cref="StateDictMismatchException"/>) or the optimizer. Nothing is changed then.</exception>
    public static TrainingPosition? Load(string path, nn.Module model, Optimizer? optimizer = null, bool restoreRandomState = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Checkpoint '{full}' does not exist.", full);
        using var scope = NewDisposeScope();
        if (IsLegacy(full))
        {
            var (legacyModel, legacyOptimizer) = ReadLegacy(full);
            Apply(full, model, optimizer, legacyModel, legacyOptimizer);
            return null;
        }

        Dictionary<string, Tensor> tensors;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            tensors = SafeTensors.Load(full, out metadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{full}' is not a GenNet checkpoint: {e.Message}", e);
        }
        if (!metadata.TryGetValue("format", out var format) || format != FormatName)
            throw new InvalidDataException($"'{full}' is not a GenNet checkpoint: a safetensors file without format={FormatName} in its metadata (load plain weights with LoadSafeTensors).");
        var modelState = tensors.Where(kv => kv.Key.StartsWith(ModelPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[ModelPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        var optimizerState = tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        Apply(full, model, optimizer, modelState, optimizerState);
        if (restoreRandomState && tensors.TryGetValue(RandomStateKey, out var state))
            Generator.Default.set_state(state);
        return ReadPosition(full, metadata);
    }

    private static void Apply(string full, nn.Module model, Optimizer? optimizer, Dictionary<string, Tensor> modelState, Dictionary<string, Tensor> optimizerState)
    {
        // Check everything before changing anything: a model that fits with an optimizer that does not must leave both
        // unchanged (the optimizer checks all its entries before applying any).
        var report = StateDictExtensions.Compare(model, modelState);
        if (!report.AllMatched)
            throw new StateDictMismatchException(report.Describe(model.GetType().Name, full), report);
        optimizer?.LoadStateDict(optimizerState);
        model.LoadStateDict(modelState, strict: true, full);
    }

    private static TrainingPosition? ReadPosition(string full, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("epoch", out var epoch))
            return null;
        if (!int.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            || !metadata.TryGetValue("batch", out var batch) || !int.TryParse(batch, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || !metadata.TryGetValue("step", out var step) || !long.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            throw new InvalidDataException($"Checkpoint '{full}' has a malformed training position (epoch '{epoch}').");
        return new TrainingPosition(e, b, s);
    }

    private static bool IsLegacy(string full)
    {
        using var stream = File.OpenRead(full);
        Span<byte> head = stackalloc byte[8];
        return stream.Read(head) == 8 && head.SequenceEqual(LegacyMagic);
    }

    private static (Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer) ReadLegacy(string full)
    {
        using var reader = new BinaryReader(File.OpenRead(full), Encoding.UTF8);
        try
        {
            reader.ReadBytes(LegacyMagic.Length);
            var length = reader.BaseStream.Length;
            return (ReadLegacySection(reader, full, length), ReadLegacySection(reader, full, length));
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Checkpoint '{full}' is truncated.", e);
        }
    }

    private static Dictionary<string, Tensor> ReadLegacySection(BinaryReader reader, string path, long fileLength)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > fileLength)
            throw new InvalidDataException($"Checkpoint '{path}' is corrupt (entry count {count}).");
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var dtype = (ScalarType)reader.ReadInt32();
            var rank = reader.ReadInt32();
            if (rank is < 0 or > 64 || !Enum.IsDefined(dtype))
                throw new InvalidDataException($"Checkpoint '{path}' is corrupt at entry '{name}'.");
            var shape = new long[rank];
            for (var d = 0; d < rank; d++)
                shape[d] = reader.ReadInt64();
            var elements = TensorTypes.CheckedElementCount(shape);
            if (elements < 0 || elements > fileLength - reader.BaseStream.Position)
                throw new InvalidDataException($"Checkpoint '{path}' is corrupt at entry '{name}' (shape [{string.Join(", ", shape)}] does not fit in the file).");
            var tensor = empty(shape, dtype: dtype);
            if (!TensorBytes.Read(reader.BaseStream, tensor))
                throw new EndOfStreamException();
            state[name] = tensor;
        }
        return state;
    }
}
