using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static TorchSharp.torch;

namespace GenNet.Training;

/// <summary>
/// fastprogress for the <see cref="Learner"/>. On a terminal it draws, in place, a bar per phase —
/// <c>epoch 1/5 train |█████-----| 40.0% 480/1200 00:01&lt;00:02 train_loss 0.5432</c> — with done/total, percentage,
/// elapsed and remaining time and the running loss, redrawn at most ten times a second; when an epoch ends the bar
/// gives way to the epoch's row in a table (<c>epoch train_loss valid_loss &lt;metrics&gt; time</c>). When output is
/// redirected (a file, a pipe, CI logs) it writes one plain line per epoch (<see cref="EpochResult.ToString"/>) and
/// nothing else.
/// </summary>
/// <remarks>
/// <para>The total is the batch source's length when it has one: a GenNet <c>DataLoader</c>, an array or a list
/// (<see cref="IReadOnlyCollection{T}"/>, <see cref="ICollection{T}"/> or <see cref="ICollection"/>); a plain
/// iterator shows the count and the elapsed time only.</para>
/// <para>The figures come from a <see cref="MetricsCallback"/> when the learner has one (its metrics become table
/// columns); alone, this callback tracks the size-weighted training and validation losses itself. Order 20: after
/// <see cref="MetricsCallback"/>.</para>
/// </remarks>
public sealed class ProgressCallback : Callback
{
    /// <summary>The shortest time between two redraws of the bar.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _writer;
    private readonly TimeProvider _clock;
    private readonly bool _unicode;
    private MetricsCallback? _metrics;
    private LossMetric? _ownTrainLoss;
    private LossMetric? _ownValidLoss;
    private long _epochStart;
    private long _phaseStart;
    private long _lastDraw;
    private int? _total;
    private int _barLength;
    private IReadOnlyList<string>? _columns;

    /// <summary>Writes to standard output; the bar is drawn only when it is a terminal (not redirected).</summary>
    public ProgressCallback() : this(Console.Out, !Console.IsOutputRedirected) { }

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the bar, the table or the lines go.</param>
    /// <param name="showBar">Draw the bar and the table (the writer must be a terminal that understands carriage
    /// returns); otherwise write one plain line per epoch.</param>
    /// <param name="timeProvider">The clock for elapsed times and redraw throttling; <see cref="TimeProvider.System"/> when null.</param>
    public ProgressCallback(TextWriter writer, bool showBar, TimeProvider? timeProvider = null)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        ShowBar = showBar;
        _clock = timeProvider ?? TimeProvider.System;
        _unicode = writer.Encoding.WebName.StartsWith("utf", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the in-place bar and the table are drawn (else plain lines).</summary>
    public bool ShowBar { get; }

    /// <inheritdoc />
    public override int Order => 20;

    /// <inheritdoc />
    public override void BeforeFit(Learner learner)
    {
        _metrics = learner.Callbacks.OfType<MetricsCallback>().FirstOrDefault();
        if (_metrics is null)
        {
            _ownTrainLoss ??= new LossMetric();
            _ownValidLoss ??= new LossMetric();
        }
        _columns = null;
    }

    /// <inheritdoc />
    public override void BeforeEpoch(Learner learner)
    {
        _ownTrainLoss?.Reset();
        _ownValidLoss?.Reset();
        _epochStart = _clock.GetTimestamp();
    }

    /// <inheritdoc />
    public override void BeforeTrain(Learner learner) => StartPhase(learner, learner.TrainData);

    /// <inheritdoc />
    public override void BeforeValidate(Learner learner) => StartPhase(learner, learner.ValidData);

    private void StartPhase(Learner learner, IEnumerable<(Tensor x, Tensor y)>? data)
    {
        _total = CountOf(data);
        _phaseStart = _lastDraw = _clock.GetTimestamp();
        if (ShowBar)
            Draw(learner, done: 0);
    }

    /// <summary>The number of batches a source will yield, when it says so without being enumerated.</summary>
    internal static int? CountOf(IEnumerable<(Tensor x, Tensor y)>? data) => data switch
    {
        IReadOnlyCollection<(Tensor, Tensor)> c => c.Count,
        ICollection<(Tensor, Tensor)> c => c.Count,
        ICollection c => c.Count,
        _ => null,
    };

    /// <inheritdoc />
    public override void AfterLoss(Learner learner)
    {
        if (_metrics is not null)
            return;
        (learner.Training ? _ownTrainLoss : _ownValidLoss)?.Accumulate(learner.Preds!, learner.Y!, learner.Loss!);
    }

    /// <inheritdoc />
    public override void AfterBatch(Learner learner)
    {
        if (!ShowBar)
            return;
        // One timestamp per batch; everything else (including reading the loss, a device sync) only per redraw.
        var now = _clock.GetTimestamp();
        if (_clock.GetElapsedTime(_lastDraw, now) < RedrawInterval)
            return;
        _lastDraw = now;
        Draw(learner, learner.Iteration + 1);
    }

    private void Draw(Learner learner, int done)
    {
        var training = learner.Training;
        var loss = done == 0 ? (double?)null
            : _metrics is not null ? (training ? _metrics.CurrentTrainLoss : _metrics.CurrentValidLoss)
            : (training ? _ownTrainLoss : _ownValidLoss)?.Value;
        var line = ProgressText.Bar(learner.Epoch + 1, learner.Epochs, training ? "train" : "valid", done, _total,
            _clock.GetElapsedTime(_phaseStart), loss, _unicode);
        // Pad over the previous line's tail instead of clearing first, so the bar never flickers.
        _writer.Write('\r');
        _writer.Write(line.Length < _barLength ? line.PadRight(_barLength) : line);
        _writer.Flush();
        _barLength = line.Length;
    }

    /// <inheritdoc />
    public override void AfterEpoch(Learner learner)
    {
        ClearBar();
        var result = _metrics is not null
            ? (learner.History.Count > 0 && learner.History[^1].Epoch == learner.Epoch + 1 ? learner.History[^1] : null)
            : new EpochResult(learner.Epoch + 1, _ownTrainLoss!.Value, _ownValidLoss!.Value, new Dictionary<string, double>(),
                _clock.GetElapsedTime(_epochStart).TotalSeconds);
        if (result is null)
            return;
        if (ShowBar)
        {
            if (_columns is null)
            {
                _columns = ProgressText.Columns(result.ValidMetrics.Keys);
                _writer.WriteLine(ProgressText.Header(_columns));
            }
            _writer.WriteLine(ProgressText.Row(_columns, result));
        }
        else
        {
            _writer.WriteLine(result);
        }
        _writer.Flush();
    }

    /// <inheritdoc />
    public override void AfterFit(Learner learner)
    {
        ClearBar();
        _ownTrainLoss?.Dispose();
        _ownValidLoss?.Dispose();
        _ownTrainLoss = _ownValidLoss = null;
    }

    private void ClearBar()
    {
        if (_barLength == 0)
            return;
        _writer.Write('\r');
        _writer.Write(new string(' ', _barLength));
        _writer.Write('\r');
        _writer.Flush();
        _barLength = 0;
    }
}
