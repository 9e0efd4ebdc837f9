using System;
using System.Diagnostics;
using System.IO;

namespace GenNet.Training;

/// <summary>
/// Prints one line per epoch (<see cref="EpochResult.ToString"/>) and, on an interactive terminal, a progress bar that
/// redraws itself in place during the epoch. The bar turns itself off when standard output is redirected (a file, a
/// pipe, CI logs), so logs hold only the epoch lines. Order 20: after <see cref="MetricsCallback"/>.
/// </summary>
public sealed class ProgressCallback : Callback
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _writer;
    private readonly Stopwatch _sinceRedraw = new();
    private int? _batchesPerPhase;
    private bool _barVisible;

    /// <summary>Writes to standard output; the bar shows only when it is a terminal.</summary>
    public ProgressCallback() : this(Console.Out, !Console.IsOutputRedirected) { }

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where lines go.</param>
    /// <param name="showBar">Whether to draw the in-place bar (needs a terminal that understands carriage returns).</param>
    public ProgressCallback(TextWriter writer, bool showBar)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        ShowBar = showBar;
    }

    /// <summary>Whether the in-place bar is drawn.</summary>
    public bool ShowBar { get; }

    /// <inheritdoc />
    public override int Order => 20;

    /// <inheritdoc />
    public override void BeforeTrain(Learner learner) => StartPhase(learner, learner.TrainData);

    /// <inheritdoc />
    public override void BeforeValidate(Learner learner) => StartPhase(learner, learner.ValidData);

    private void StartPhase(Learner learner, object? data)
    {
        _batchesPerPhase = data is System.Collections.ICollection c ? c.Count : TryCount(data);
        _sinceRedraw.Restart();
    }

    private static int? TryCount(object? data)
    {
        foreach (var face in data?.GetType().GetInterfaces() ?? Type.EmptyTypes)
            if (face.IsGenericType && face.GetGenericTypeDefinition() == typeof(System.Collections.Generic.IReadOnlyCollection<>))
                return (int?)face.GetProperty("Count")!.GetValue(data);
        return null;
    }

    /// <inheritdoc />
    public override void AfterBatch(Learner learner)
    {
        if (!ShowBar || _sinceRedraw.Elapsed < RedrawInterval)
            return;
        _sinceRedraw.Restart();
        const int width = 30;
        var done = learner.Iteration + 1;
        var phase = learner.Training ? "train" : "valid";
        string bar;
        if (_batchesPerPhase is { } total && total > 0)
        {
            var filled = (int)Math.Min(width, (long)width * done / total);
            bar = $"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}";
        }
        else
        {
            bar = $"{done} batches";
        }
        _writer.Write($"\repoch {learner.Epoch + 1}/{learner.Epochs} {phase} {bar}   ");
        _writer.Flush();
        _barVisible = true;
    }

    /// <inheritdoc />
    public override void AfterEpoch(Learner learner)
    {
        ClearBar();
        if (learner.History.Count > 0 && learner.History[^1].Epoch == learner.Epoch + 1)
            _writer.WriteLine(learner.History[^1]);
        _writer.Flush();
    }

    /// <inheritdoc />
    public override void AfterFit(Learner learner) => ClearBar();

    private void ClearBar()
    {
        if (!_barVisible)
            return;
        _writer.Write("\r" + new string(' ', 79) + "\r");
        _barVisible = false;
    }
}
