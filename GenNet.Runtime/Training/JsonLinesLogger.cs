using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace GenNet.Training;

/// <summary>
/// Appends one JSON object per epoch to a file (JSON Lines): <c>epoch</c>, <c>train_loss</c>, <c>valid_loss</c>,
/// <c>valid_&lt;metric&gt;</c>, <c>seconds</c>, <c>lr</c>. Each line is flushed when written, so a crashed run keeps its
/// finished epochs. Order 30: after <see cref="MetricsCallback"/>.
/// </summary>
public sealed class JsonLinesLogger : Callback, IDisposable
{
    private StreamWriter? _writer;
    private bool _started;

    /// <summary>
    /// Logs to <paramref name="path"/>; the file is created (or truncated) when the first fit starts, and later fits
    /// of the same learner append to it.
    /// </summary>
    /// <param name="path">The file to write.</param>
    public JsonLinesLogger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override int Order => 30;

    /// <inheritdoc />
    public override void BeforeFit(Learner learner)
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        _writer?.Dispose();
        _writer = new StreamWriter(Path, append: _started, new UTF8Encoding(false)) { AutoFlush = true };
        _started = true;
    }

    /// <inheritdoc />
    public override void AfterEpoch(Learner learner)
    {
        if (_writer is null || learner.History.Count == 0 || learner.History[^1].Epoch != learner.Epoch + 1)
            return;
        var result = learner.History[^1];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", result.Epoch);
            WriteNumber(json, "train_loss", result.TrainLoss);
            WriteNumber(json, "valid_loss", result.ValidLoss);
            foreach (var (name, value) in result.ValidMetrics)
                WriteNumber(json, "valid_" + name, value);
            WriteNumber(json, "seconds", result.Seconds);
            WriteNumber(json, "lr", learner.Optimizer.LearningRate);
            json.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // JSON has no NaN: a phase without batches is written as null.
    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumber(name, value);
        else
            json.WriteNull(name);
    }

    /// <inheritdoc />
    public override void AfterFit(Learner learner) => Dispose();

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
