using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using GenNet.Optim;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>
/// Saves and loads a model's state dict and, optionally, its optimizer's state in one file. Saving is atomic: the file
/// is written under a temporary name in the same folder, flushed to disk, then renamed over the target, so a crash
/// leaves either the old checkpoint or the new one, never a torn file. Loading reads and checks everything before
/// changing the model: a missing, unexpected or differently shaped parameter fails with a message naming it.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "GNCKPT01"u8.ToArray();

    /// <summary>Writes <paramref name="model"/>'s state (and <paramref name="optimizer"/>'s) to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The checkpoint file; its folder is created if needed.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">The optimizer, or <c>null</c>.</param>
    public static void Save(string path, nn.Module model, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        using var scope = NewDisposeScope();
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                WriteSection(writer, model.state_dict());
                WriteSection(writer, optimizer?.StateDict() ?? new Dictionary<string, Tensor>());
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/> into <paramref name="model"/> (and <paramref name="optimizer"/>).</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">A model of the same architecture.</param>
    /// <param name="optimizer">An optimizer of the same kind over the model, or <c>null</c> to skip optimizer state.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a GenNet checkpoint, or truncated.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint does not fit the model (message names the parameter) or the optimizer.</exception>
    public static void Load(string path, nn.Module model, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Checkpoint '{full}' does not exist.", full);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> modelState, optimizerState;
        using (var reader = new BinaryReader(File.OpenRead(full), Encoding.UTF8))
        {
            try
            {
                if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                    throw new InvalidDataException($"'{full}' is not a GenNet checkpoint (bad magic bytes).");
                modelState = ReadSection(reader, full);
                optimizerState = ReadSection(reader, full);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException($"Checkpoint '{full}' is truncated.", e);
            }
        }

        var target = model.state_dict();
        foreach (var (name, tensor) in target)
        {
            if (!modelState.TryGetValue(name, out var saved))
                throw new InvalidOperationException($"Checkpoint '{full}' has no entry for parameter '{name}' of the model.");
            if (!saved.shape.SequenceEqual(tensor.shape))
                throw new InvalidOperationException(
                    $"Checkpoint '{full}': parameter '{name}' has shape [{string.Join(", ", saved.shape)}] there but [{string.Join(", ", tensor.shape)}] in the model.");
            if (saved.dtype != tensor.dtype)
                throw new InvalidOperationException($"Checkpoint '{full}': parameter '{name}' is {saved.dtype} there but {tensor.dtype} in the model.");
        }
        var unexpected = modelState.Keys.FirstOrDefault(k => !target.ContainsKey(k));
        if (unexpected is not null)
            throw new InvalidOperationException($"Checkpoint '{full}' has parameter '{unexpected}' that the model does not have.");
        if (optimizer is not null)
            optimizer.LoadStateDict(optimizerState);
        using (no_grad())
            foreach (var (name, tensor) in target)
                tensor.copy_(modelState[name]);
    }

    private static void WriteSection(BinaryWriter writer, Dictionary<string, Tensor> state)
    {
        writer.Write(state.Count);
        foreach (var (name, tensor) in state)
        {
            writer.Write(name);
            writer.Write((int)tensor.dtype);
            writer.Write(tensor.shape.Length);
            foreach (var d in tensor.shape)
                writer.Write(d);
            var cpu = tensor.detach().cpu().contiguous();
            writer.Write(cpu.bytes);
        }
    }

    private static Dictionary<string, Tensor> ReadSection(BinaryReader reader, string path)
    {
        var count = reader.ReadInt32();
        if (count < 0)
            throw new InvalidDataException($"Checkpoint '{path}' is corrupt (negative entry count).");
        var state = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
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
            if (shape.Any(d => d < 0))
                throw new InvalidDataException($"Checkpoint '{path}' is corrupt at entry '{name}' (negative dimension).");
            var tensor = empty(shape, dtype: dtype);
            var bytes = tensor.bytes;
            for (var read = 0; read < bytes.Length;)
            {
                var n = reader.Read(bytes[read..]);
                if (n == 0)
                    throw new EndOfStreamException();
                read += n;
            }
            state[name] = tensor;
        }
        return state;
    }
}
