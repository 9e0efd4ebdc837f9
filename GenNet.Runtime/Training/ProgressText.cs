using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace GenNet.Training;

/// <summary>
/// The text of <see cref="ProgressCallback"/>, kept free of I/O and clocks so it can be checked line by line:
/// fastprogress's bar (<c>|████----| 40.0% 42/105 00:01&lt;00:02</c>) and its results table.
/// </summary>
internal static class ProgressText
{
    public const int BarWidth = 30;

    /// <summary>
    /// One bar line: epoch and phase, the bar, percentage, done/total, elapsed&lt;remaining, and the running loss when
    /// known. Without a total (a source that does not know its length) only the count and the elapsed time are shown.
    /// </summary>
    public static string Bar(int epoch, int epochs, string phase, int done, int? total, TimeSpan elapsed, double? loss, bool unicode)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(100);
        text.Append(c, $"epoch {epoch}/{epochs} {phase} ");
        if (total is { } n && n > 0)
        {
            var fraction = Math.Clamp((double)done / n, 0, 1);
            var filled = (int)(fraction * BarWidth);
            text.Append('|').Append(unicode ? '█' : '#', filled).Append('-', BarWidth - filled).Append("| ");
            text.Append(c, $"{fraction * 100:F1}% {done}/{n} {Duration(elapsed)}<{Duration(Remaining(done, n, elapsed))}");
        }
        else
        {
            text.Append(c, $"{done} batches {Duration(elapsed)}");
        }
        if (loss is { } l && !double.IsNaN(l))
            text.Append(c, $" {phase}_loss {l:F4}");
        return text.ToString();
    }

    /// <summary>The time left if the remaining batches take as long as the done ones did on average.</summary>
    public static TimeSpan Remaining(int done, int total, TimeSpan elapsed) =>
        done <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)Math.Max(0, total - done) / done)));

    /// <summary><c>mm:ss</c>, or <c>h:mm:ss</c> from an hour on (fastprogress's format).</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Max(0, Math.Round(span.TotalSeconds));
        var c = CultureInfo.InvariantCulture;
        return seconds >= 3600
            ? string.Format(c, "{0}:{1:D2}:{2:D2}", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : string.Format(c, "{0:D2}:{1:D2}", seconds / 60, seconds % 60);
    }

    /// <summary>The table's columns: epoch, train_loss, valid_loss, each metric, time.</summary>
    public static IReadOnlyList<string> Columns(IEnumerable<string> metricNames)
    {
        var columns = new List<string> { "epoch", "train_loss", "valid_loss" };
        columns.AddRange(metricNames);
        columns.Add("time");
        return columns;
    }

    /// <summary>The header line; every column is at least 10 wide so numbers line up under it.</summary>
    public static string Header(IReadOnlyList<string> columns)
    {
        var text = new StringBuilder();
        foreach (var column in columns)
            text.Append(column.PadRight(Width(column))).Append(' ');
        return text.ToString().TrimEnd();
    }

    /// <summary>One epoch's row under <see cref="Header"/>; a metric the result lacks is left empty.</summary>
    public static string Row(IReadOnlyList<string> columns, EpochResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        foreach (var column in columns)
        {
            var cell = column switch
            {
                "epoch" => result.Epoch.ToString(c),
                "train_loss" => Number(result.TrainLoss),
                "valid_loss" => Number(result.ValidLoss),
                "time" => Duration(TimeSpan.FromSeconds(result.Seconds)),
                _ => result.ValidMetrics.TryGetValue(column, out var value) ? Number(value) : "",
            };
            text.Append(cell.PadRight(Width(column))).Append(' ');
        }
        return text.ToString().TrimEnd();
    }

    private static int Width(string column) => Math.Max(column.Length, 10);

    private static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("F6", CultureInfo.InvariantCulture);
}
